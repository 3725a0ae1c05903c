"""A crawl child that outlives its parent is a crawl nobody waits for: it keeps writing WARCs
into a job another run will resume, and two crawls of one site can overlap. The child asks the
Linux kernel to kill it when the process that started it dies (PR_SET_PDEATHSIG), the way the
whole process group dies when an operator kills it; the next run resumes from the job state and
mends the open WARC file, exactly as after any SIGKILL."""

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
