"""A child that outlives its parent is a process nobody waits for: a crawl child keeps writing
WARCs into a job another run will resume, and a temporary Prefect server keeps a port and a
database open for no one. The child asks the Linux kernel to kill it when the process that started
it dies (PR_SET_PDEATHSIG), the way the whole process group dies when an operator kills it; the
next run resumes from the job state and mends the open WARC file, exactly as after any SIGKILL.

`python -m crawlers.lifeline PARENT_PID COMMAND...` runs COMMAND (exec, same process) under that
request, for children whose code is not ours. The kernel watches the parent *thread* that forked
the child: start such children from a thread that lives as long as they should (the main one).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Be killed when `parent_pid` (the process that started us) exits; exit now if it already
    has. Elsewhere than Linux this does nothing."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("could not ask to die with the parent: errno %d", ctypes.get_errno())
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def command_dying_with_parent(command: list[str]) -> list[str]:
    """`command`, wrapped so that it dies with this process (the one that will start it)."""
    return [sys.executable, "-m", "crawlers.lifeline", str(os.getpid()), *command]


def main(argv: list[str]) -> None:
    parent_pid, *command = argv
    die_with_parent(int(parent_pid))
    os.execv(command[0], command)  # the request survives exec


if __name__ == "__main__":
    main(sys.argv[1:])
