"""Archive rounds: one crawl of each site in a set, which a killed flow resumes instead of redoing.

A flow killed after one site's crawl finished but before the others did must not crawl that site
again when it is run again: a second crawl adds revisit records an uninterrupted run never wrote.
A round is named by its set of profiles and recorded in `data/rounds/<key>.json`; it stays
"running" until the flow that began it finishes (successfully or not), so the next run of the
same set resumes it. Crawls are cached per round (see `flows.prefect_flows.crawl_task`), and a
site's own killed crawl resumes from its job directory (`crawlers.job`).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def round_key(profiles: list[Path]) -> str:
    """The same set of profile files, in any order, is the same round."""
    names = sorted(str(Path(p).resolve()) for p in profiles)
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ArchiveRound:
    path: Path
    round_id: str
    resumed: bool

    @classmethod
    def begin(cls, data_dir: Path, profiles: list[Path]) -> ArchiveRound:
        """Resume this profile set's unfinished round, or start a new one."""
        path = data_dir / "rounds" / f"{round_key(profiles)}.json"
        if path.exists():
            state = json.loads(path.read_text(encoding="utf-8"))
            if state.get("status") == "running":
                return cls(path, state["round_id"], True)
        started = cls(path, uuid.uuid4().hex, False)
        started._save(
            status="running",
            started_at=datetime.now(UTC).isoformat(),
            profiles=[str(p) for p in profiles],
        )
        return started

    def finish(self) -> None:
        state = json.loads(self.path.read_text(encoding="utf-8"))
        self._save(**{**state, "status": "finished", "finished_at": datetime.now(UTC).isoformat()})

    def _save(self, **state: object) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({**state, "round_id": self.round_id}, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
