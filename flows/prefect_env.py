"""Prefect settings newsarc needs, applied before Prefect is first imported.

Prefect reads its settings from the environment once, at import. These are defaults only: a
variable already set by the operator wins.
"""

from __future__ import annotations

import os

DEFAULTS = {
    # The temporary local API takes ~35 s to create its SQLite database on a fresh PREFECT_HOME
    # on a 2-core machine, more than Prefect's default 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Nothing phones home.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_prefect_defaults(log_level: str | None = None) -> None:
    """Set newsarc's Prefect defaults (and, if given, Prefect's log level) in os.environ."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    if log_level is not None:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", log_level)
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
