"""Archive rounds: one crawl of each site in a set, which a killed flow resumes instead of redoing.

A flow killed after one site's crawl finished but before the others did must not crawl that site
again when it is run again: a second crawl adds revisit records an uninterrupted run never wrote.
A round is named by its set of profiles and recorded in `data/rounds/<key>.json`; it stays
"running" until the flow that began it finishes (successfully or not), so the next run of the
same set resumes it. `flows.pipeline.archive_profiles` begins, finishes and releases rounds for
every caller; under Prefect the crawls are also cached per round (`flows.prefect_flows.crawl_task`),
so a resumed round skips the sites it already crawled. A site's own killed crawl resumes from its
job directory (`crawlers.job`).

"Unfinished" must not mean "still running": the flow that began a round holds a lock on it
(`data/rounds/<key>.lock`, dropped by the kernel when that process ends, however it ends), and a
second flow for the same set while it runs is refused, not joined to the first's round.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from archive.errors import NewsarcError
from crawlers.crawl_lock import LockHeld, hold_process_lock


class RoundBusy(NewsarcError):
    """Another flow is archiving this very set of profiles right now."""


def round_key(profiles: list[Path]) -> str:
    """The same set of profile files, in any order, is the same round."""
    names = sorted(str(Path(p).resolve()) for p in profiles)
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:16]


def _hold_round_lock(path: Path, profiles: list[Path]) -> IO[str]:
    try:
        return hold_process_lock(path.with_suffix(".lock"))
    except LockHeld as held:
        names = ", ".join(Path(p).name for p in profiles)
        raise RoundBusy(
            f"{names} already being archived into {path.parent.parent} (PID {held.holder or '?'});"
            " wait for that run to end, or stop it, then retry"
        ) from None


def refuse_if_running(data_dir: Path, profiles: list[Path]) -> None:
    """Raise `RoundBusy` if another process is archiving this set into `data_dir` now: the CLI
    asks before spending a Prefect start-up on a run the flow would refuse anyway."""
    path = data_dir / "rounds" / f"{round_key(profiles)}.json"
    if path.with_suffix(".lock").exists():
        _hold_round_lock(path, profiles).close()


@dataclass(frozen=True)
class ArchiveRound:
    path: Path
    round_id: str
    resumed: bool
    lock: IO[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def begin(cls, data_dir: Path, profiles: list[Path]) -> ArchiveRound:
        """Resume this profile set's unfinished round, or start a new one; raise `RoundBusy` if
        another process is running it. `release()` (or `finish()`) lets the next run in."""
        path = data_dir / "rounds" / f"{round_key(profiles)}.json"
        lock = _hold_round_lock(path, profiles)
        if path.exists():
            state = json.loads(path.read_text(encoding="utf-8"))
            if state.get("status") == "running":
                return cls(path, state["round_id"], True, lock)
        started = cls(path, uuid.uuid4().hex, False, lock)
        started._save(
            status="running",
            started_at=datetime.now(UTC).isoformat(),
            profiles=[str(p) for p in profiles],
        )
        return started

    def finish(self) -> None:
        state = json.loads(self.path.read_text(encoding="utf-8"))
        self._save(**{**state, "status": "finished", "finished_at": datetime.now(UTC).isoformat()})
        self.release()

    def release(self) -> None:
        """Let another run of this set begin (a round left running is resumed by it)."""
        if self.lock is not None:
            self.lock.close()

    def _save(self, **state: object) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({**state, "round_id": self.round_id}, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
