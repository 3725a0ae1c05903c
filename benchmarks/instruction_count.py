"""Instructions a child process executes, counted by valgrind's callgrind: a figure a noisy host
cannot move.

CPU seconds on a shared 2-core machine swing by a quarter from one run to the next (neighbours,
caches, frequency); the number of instructions a deterministic program executes does not. So a
benchmark can count both ways: the work's instructions are those of a child that does the work
minus those of the same child that only sets up (imports, reading its input), each under
callgrind with a fixed PYTHONHASHSEED. Instructions are not time (memory stalls and C code with
more work per instruction differ), so this complements the timed runs rather than replacing them.

Valgrind runs a program's threads one at a time. DuckDB's Python client polls for its worker
threads' results in a loop that takes the GIL each time round, so under valgrind that loop runs
for as long as a worker's turn lasts: 2 to 9 G instructions on the 243-page ingest, varying from
run to run. The children therefore run DuckDB on one thread (`NEWSARC_DUCKDB_THREADS=1`), where
the query work is the same and nothing polls.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

_COLLECTED = re.compile(rb"==\d+== Collected : (\d+)")


class NoValgrind(RuntimeError):
    """Counting instructions needs valgrind (Debian package `valgrind`)."""


def start(command: list[str], log_file: Path, *, cwd: Path) -> subprocess.Popen:
    """Start `command` under callgrind; `finish` waits for it and returns its instructions."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise NoValgrind("valgrind is not installed (apt-get install valgrind)")
    wrapped = [valgrind, "--tool=callgrind", f"--callgrind-out-file={log_file}.callgrind", *command]
    # the same dict and set orders in every run; DuckDB's work without its polling (see above)
    env = os.environ | {"PYTHONHASHSEED": "0", "NEWSARC_DUCKDB_THREADS": "1"}
    with log_file.open("wb") as out:
        return subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)


def finish(child: subprocess.Popen, log_file: Path, timeout: float) -> int:
    """The instructions the child executed, once it exited successfully."""
    try:
        code = child.wait(timeout=timeout)
    except BaseException:
        child.kill()
        child.wait()
        raise
    found = _COLLECTED.findall(log_file.read_bytes())
    if code != 0 or not found:
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"callgrind child exited with {code}:\n{tail}")
    Path(f"{log_file}.callgrind").unlink(missing_ok=True)
    return int(found[-1])
