"""A Prefect server on loopback for as long as a `with` block: `prefect server start` as a child.

Prefect's temporary in-process API runs no scheduler (Prefect says so: "Cannot schedule flows on
an ephemeral server"), so `newsarc serve` starts this instead when no ``PREFECT_API_URL`` is set:
the same server that ships with Prefect, nothing else to install, stopped when serving stops.
`newsarc crawl` and `verify` start it too, without UI or scheduler (as Prefect's own temporary
API), because Prefect's temporary API outlives a killed parent and answers anyone.

Every server started here requires an auth string (a browser page on this machine cannot know it),
answers no cross-origin browser request, and dies with the process that started it.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawlers.lifeline import command_dying_with_parent
from flows.prefect_env import DEFAULTS, apply_prefect_defaults

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LocalPrefectServer:
    """`with LocalPrefectServer(log=path) as server:` ... ``server.api_url`` ...

    The auth string is ``PREFECT_SERVER_API_AUTH_STRING`` from `env` or the environment, or a
    random one; clients get it from `client_env()`. ``ui=False`` is Prefect's temporary API
    (no UI, no scheduler): enough for running flows, not for serving schedules."""

    def __init__(
        self,
        port: int | None = None,
        *,
        log: Path,
        env: dict[str, str] | None = None,
        ui: bool = True,
        startup_timeout: float = 180,
    ) -> None:
        self.port = port or free_port()
        self.log = log
        self.env = {**DEFAULTS, **os.environ, **(env or {})}
        self.env.pop("PREFECT_API_URL", None)  # the server is not a client of another server
        self.auth_string = self.env.get("PREFECT_SERVER_API_AUTH_STRING") or (
            f"newsarc:{secrets.token_urlsafe(32)}"
        )
        self.env["PREFECT_SERVER_API_AUTH_STRING"] = self.auth_string
        # The UI calls the API from the server's own origin; no other origin is let in.
        self.env["PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS"] = self.origin
        if not ui:
            self.env |= {"PREFECT_UI_ENABLED": "false", "PREFECT__SERVER_EPHEMERAL": "1"}
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.origin}/api"

    def client_env(self) -> dict[str, str]:
        """What a Prefect client needs to use this server."""
        return {"PREFECT_API_URL": self.api_url, "PREFECT_API_AUTH_STRING": self.auth_string}

    def __enter__(self) -> LocalPrefectServer:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        # It dies with us (crawlers/lifeline.py), even when we are killed with SIGKILL.
        command = command_dying_with_parent([sys.executable, "-m", "prefect", "server", "start",
                                             "--host", HOST, "--port", str(self.port)])  # fmt: skip
        with self.log.open("ab") as out:
            # a session of its own, so stopping it also stops anything it forks
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"prefect server exited with {self.process.returncode}; see {self.log}"
                )
            try:  # the health check is the one path Prefect answers without the auth string
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"prefect server on {self.api_url} not healthy after "
                    f"{self.startup_timeout:.0f} s; see {self.log}"
                )
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def prefect_api(
    data: Path, *, ui: bool = False, port: int | None = None, announce=None
) -> Iterator[LocalPrefectServer | None]:
    """The Prefect API for one newsarc command on `data`, set in os.environ before Prefect is
    imported: the operator's if PREFECT_API_URL is set (yields None), else a `LocalPrefectServer`
    for the `with` block, its state in `data`'s PREFECT_HOME, locked with `data`'s auth string.
    `announce(server)` is called once it is up (the CLI prints where it is)."""
    apply_prefect_defaults(data=data)
    if os.environ.get("PREFECT_API_URL"):
        yield None
        return
    log = data / "logs" / "prefect-server.log"
    with LocalPrefectServer(port, log=log, ui=ui) as server:
        os.environ.update(server.client_env())
        if announce is not None:
            announce(server)
        try:
            yield server
        finally:
            _send_pending_logs_and_events()
            os.environ.pop("PREFECT_API_URL", None)


def _send_pending_logs_and_events() -> None:
    """Prefect sends run logs and events from background workers; let them reach the server
    before it stops, or they are lost with an "Error logging to API" at exit."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)
