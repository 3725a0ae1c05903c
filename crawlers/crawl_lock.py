"""One crawl per site at a time: two crawls of one profile would share its job directory (queue,
resume state, open WARC), so the second would corrupt the first's resume. The crawl child holds
an exclusive lock on `jobs/<profile>/crawl.lock` for its lifetime; the kernel drops it when the
process ends, however it ends, so a killed crawl never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from archive.errors import NewsarcError

# sysexits EX_TEMPFAIL: the parent tells "busy, try later" apart from a crash
EXIT_BUSY = 75


class CrawlBusy(NewsarcError):
    """Another process is crawling this profile right now."""

    def __init__(self, job_dir: Path, holder: str) -> None:
        self.job_dir = job_dir
        super().__init__(
            f"{job_dir.name} is already being crawled (PID {holder or '?'}, {job_dir}); "
            "wait for that crawl to end, or stop it, then retry"
        )


class LockHeld(Exception):
    """The lock is held by another process (`holder`: its PID as it wrote it, or "")."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def hold_process_lock(path: Path) -> IO[str]:
    """Take an exclusive lock on `path` for as long as the returned handle stays open (at most
    this process's lifetime), or raise LockHeld at once. The file holds the holder's PID."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        raise LockHeld(holder) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def hold_crawl_lock(job_dir: Path) -> IO[str]:
    """Take the profile's crawl lock, or raise CrawlBusy at once. Keep the returned handle open
    for as long as the crawl runs."""
    try:
        return hold_process_lock(job_dir / "crawl.lock")
    except LockHeld as held:
        raise CrawlBusy(job_dir, held.holder) from None
