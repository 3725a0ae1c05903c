"""Prefect settings newsarc needs, applied before Prefect is first imported.

Prefect reads its settings from the environment once, at import. These are defaults only: a
variable already set by the operator wins. Given a data directory, Prefect's state (its SQLite
database) lives under it, and the API newsarc starts requires that directory's secret.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    # The temporary local API takes ~35 s to create its SQLite database on a fresh PREFECT_HOME
    # on a 2-core machine, more than Prefect's default 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Nothing phones home.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # No web page of another origin may call an API newsarc starts (Prefect allows any: "*").
    # Prefect's UI calls its API from its own origin, which needs no CORS.
    "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS": "",
}

AUTH_STRING_FILE = Path("prefect") / "api-auth-string"


def prefect_home(data: Path) -> Path:
    """Prefect's home for one data directory: its flow runs and deployments stay with its WARCs."""
    return (data / "prefect").resolve()


def api_auth_string(data: Path) -> str:
    """The data directory's secret for the Prefect API newsarc starts on it, as Prefect's
    'user:password' auth string: random, created on first use, readable by its owner only."""
    path = data / AUTH_STRING_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"newsarc:{secrets.token_urlsafe(32)}\n")
        try:
            os.link(tmp, path)  # atomic and never replaces: two first runs agree on one secret
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def apply_prefect_defaults(log_level: str | None = None, data: Path | None = None) -> None:
    """Set newsarc's Prefect defaults (and, if given, Prefect's log level) in os.environ.

    With `data`: PREFECT_HOME defaults to `data/prefect`, and unless the operator points
    PREFECT_API_URL at an API of their own, server and client share `data`'s auth string."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    if log_level is not None:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", log_level)
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    if data is None:
        return
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(data)))
    if os.environ.get("PREFECT_API_URL"):
        return
    secret = (
        os.environ.get("PREFECT_SERVER_API_AUTH_STRING")
        or os.environ.get("PREFECT_API_AUTH_STRING")
        or api_auth_string(data)
    )
    os.environ.setdefault("PREFECT_SERVER_API_AUTH_STRING", secret)
    os.environ.setdefault("PREFECT_API_AUTH_STRING", secret)
