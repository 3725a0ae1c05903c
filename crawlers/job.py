"""Crawl jobs on disk: which run is in progress and which WARC files it wrote.

A run killed at any moment (SIGKILL included) leaves `state.json` saying "running"; the next
start of the same profile resumes that run instead of starting a new one. This replaces Scrapy's
JOBDIR, whose queue state is only saved on a clean shutdown.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@dataclass
class CrawlJob:
    directory: Path
    run_id: str
    resumed: bool
    started_at: str

    @classmethod
    def begin(cls, directory: Path) -> CrawlJob:
        """Resume the unfinished run in `directory`, or start a new one."""
        directory.mkdir(parents=True, exist_ok=True)
        state_path = directory / "state.json"
        if state_path.exists():
            state = json.loads(state_path.read_text(encoding="utf-8"))
            if state.get("status") == "running":
                job = cls(directory, state["run_id"], True, state["started_at"])
                job._save("running", resumes=state.get("resumes", 0) + 1)
                return job
        job = cls(directory, uuid.uuid4().hex, False, datetime.now(UTC).isoformat())
        (directory / "warcs.txt").write_text("", encoding="utf-8")
        job._save("running")
        return job

    def _save(self, status: str, **extra: object) -> None:
        state = {"run_id": self.run_id, "status": status, "started_at": self.started_at, **extra}
        _write_atomically(self.directory / "state.json", json.dumps(state, indent=2))

    def add_file(self, warc_path: Path) -> None:
        """Remember a WARC file of this run before any record is written to it."""
        with open(self.directory / "warcs.txt", "a", encoding="utf-8") as handle:
            handle.write(str(warc_path) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def files(self) -> list[Path]:
        listing = self.directory / "warcs.txt"
        if not listing.exists():
            return []
        return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]

    def finish(self, stats: dict[str, object]) -> None:
        _write_atomically(
            self.directory / "stats.json", json.dumps(stats, indent=2, default=str, sort_keys=True)
        )
        self._save("finished", finished_at=datetime.now(UTC).isoformat())
