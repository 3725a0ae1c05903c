"""Run `newsarc` and read what it printed, as a person would see it.

`newsarc()` runs the installed command in a child process: exit code, stdout and stderr are
exactly what a terminal shows. `invoke()` runs the same command line in this process (about a
second faster each), for tests that need many of them; an exception the CLI did not handle
counts as a traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

NEWSARC = Path(sys.executable).with_name("newsarc")


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float
    unhandled: BaseException | None = None

    def one_line_error(self) -> str:
        """The single stderr line of a user error; fails on a traceback or a second line."""
        assert self.code != 0, f"exit 0:\n{self.stdout}\n{self.stderr}"
        assert self.unhandled is None, repr(self.unhandled)
        assert "Traceback" not in self.stderr + self.stdout, self.stderr
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        return lines[0]


def newsarc(*args: str, cwd: Path | None = None, env: dict | None = None) -> Ran:
    started = time.monotonic()
    done = subprocess.run(
        [str(NEWSARC), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def invoke(*args: str) -> Ran:
    from typer.testing import CliRunner

    from flows.cli import app

    started = time.monotonic()
    result = CliRunner().invoke(app, list(args))
    unhandled = None if isinstance(result.exception, SystemExit) else result.exception
    return Ran(
        result.exit_code, result.stdout, result.stderr, time.monotonic() - started, unhandled
    )
