"""The live crawl display of `newsarc crawl` and `newsarc demo`: one row per site, redrawn twice
a second from the `progress.json` each crawl child writes (`crawlers.progress_file`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

from crawlers.profile import load_profile
from crawlers.progress_file import PROGRESS_FILE


@dataclass(frozen=True)
class SiteProgress:
    site: str
    state: str  # waiting, crawling, crawled
    pages: int = 0
    queued: int = 0
    errors: int = 0
    pages_per_minute: float = 0.0


def read_progress(site: str, job_dir: Path | None, since: datetime) -> SiteProgress:
    """What the site's crawl child last wrote, if it wrote it after `since` (this run)."""
    path = job_dir / PROGRESS_FILE if job_dir is not None else None
    try:
        progress = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):  # not written yet, or being replaced right now
        progress = None
    if not progress or datetime.fromisoformat(progress["updated_at"]) < since:
        return SiteProgress(site, "waiting")
    started = datetime.fromisoformat(progress["process_started_at"])
    updated = datetime.fromisoformat(progress["updated_at"])
    minutes = max((updated - started).total_seconds(), 1.0) / 60
    return SiteProgress(
        site,
        "crawled" if progress["status"] == "finished" else "crawling",
        pages=progress["pages"],
        queued=max(progress["queued"], 0) + progress.get("in_flight", 0),
        errors=progress["errors"],
        pages_per_minute=progress["pages"] / minutes,
    )


class CrawlBoard:
    """A rich renderable: rich's `Live` calls `__rich__` at each refresh, which reads the files."""

    def __init__(self, data_dir: Path, profiles: list[Path]) -> None:
        self.since = datetime.now(UTC)
        self.sites: list[tuple[str, Path | None]] = []
        for path in profiles:
            try:
                name = load_profile(path).name
                self.sites.append((name, data_dir / "jobs" / name))
            except Exception:  # noqa: BLE001 - the flow reports a bad profile; show its file
                self.sites.append((Path(path).stem, None))

    def snapshot(self) -> list[SiteProgress]:
        return [read_progress(site, job_dir, self.since) for site, job_dir in self.sites]

    def __rich__(self) -> Table:
        rows = self.snapshot()
        elapsed = (datetime.now(UTC) - self.since).total_seconds()
        done = all(r.state == "crawled" for r in rows)
        caption = "ingesting, detecting changes, verifying..." if done else "crawling..."
        table = Table(title="newsarc crawl", caption=f"{elapsed:.0f} s  {caption}")
        for column in ("site", "state", "pages", "queue", "errors", "pages/min"):
            table.add_column(column, justify="left" if column in ("site", "state") else "right")
        for r in rows:
            table.add_row(
                r.site, r.state, str(r.pages), str(r.queued), str(r.errors),
                f"{r.pages_per_minute:.0f}",
            )  # fmt: skip
        return table
