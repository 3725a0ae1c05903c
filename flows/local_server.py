"""A Prefect server on loopback for as long as a `with` block: `prefect server start` as a child.

Prefect's temporary in-process API runs no scheduler (Prefect says so: "Cannot schedule flows on
an ephemeral server"), so `newsarc serve` starts this instead when no ``PREFECT_API_URL`` is set:
the same server that ships with Prefect, nothing else to install, stopped when serving stops.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from flows.prefect_env import DEFAULTS

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LocalPrefectServer:
    """`with LocalPrefectServer(log=path) as server:` ... ``server.api_url`` ..."""

    def __init__(
        self,
        port: int | None = None,
        *,
        log: Path,
        env: dict[str, str] | None = None,
        startup_timeout: float = 180,
    ) -> None:
        self.port = port or free_port()
        self.log = log
        self.env = {**os.environ, **DEFAULTS, **(env or {})}
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.port}/api"

    def __enter__(self) -> LocalPrefectServer:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST,
                   "--port", str(self.port)]  # fmt: skip
        self.env.pop("PREFECT_API_URL", None)  # the server is not a client of another server
        with self.log.open("ab") as out:
            # a session of its own, so stopping it also stops the workers it forks
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
            try:
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
