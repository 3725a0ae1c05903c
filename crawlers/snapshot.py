"""What the archive already holds, read once when a crawl starts.

What the catalog holds (read through `archive.catalog.window`, the crawler's only way in):
previous captures per URL (for conditional requests), payload digests (for revisits), known
stories due again; plus what this very run archived before it was killed (so a resumed run
neither loses nor refetches those pages).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.catalog.window import HeldCapture, held_captures, open_read_only, payload_index
from archive.errors import CatalogLocked
from archive.warc.reader import iter_capture_rows
from crawlers.profile import SiteProfile
from crawlers.recheck import RecheckPolicy, due_story_urls

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchivedLocation:
    warc_path: Path
    offset: int


@dataclass
class ArchiveSnapshot:
    held: dict[str, HeldCapture] = field(default_factory=dict)
    payloads: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    this_run: dict[str, ArchivedLocation] = field(default_factory=dict)
    due_stories: list[str] = field(default_factory=list)

    def held_location(self, held: HeldCapture, warc_dir: Path) -> ArchivedLocation:
        return ArchivedLocation(warc_dir / held.warc_file, held.warc_offset)


def recheck_policy(profile: SiteProfile) -> RecheckPolicy:
    return RecheckPolicy(
        min_interval=timedelta(minutes=profile.recheck.min_interval_minutes),
        max_interval=timedelta(hours=profile.recheck.max_interval_hours),
        stable_fraction=profile.recheck.stable_fraction,
    )


def load_snapshot(
    db_path: Path,
    warc_dir: Path,
    run_files: list[Path],
    *,
    profile: SiteProfile | None = None,
    wait_seconds: float = 120.0,
) -> ArchiveSnapshot:
    snapshot = ArchiveSnapshot()
    if db_path.exists():
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                con = open_read_only(db_path)
                break
            except CatalogLocked:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)  # another crawl is ingesting; its write lock is short
        try:
            snapshot.held = held_captures(con)
            snapshot.payloads = payload_index(con)
            if profile is not None:
                snapshot.due_stories = due_story_urls(
                    con, profile.name, recheck_policy(profile), datetime.now(UTC)
                )
        finally:
            con.close()
    _add_this_run(snapshot, warc_dir, run_files)
    log.info(
        "archive snapshot: %d URLs held, %d payloads, %d already archived in this run",
        len(snapshot.held),
        len(snapshot.payloads),
        len(snapshot.this_run),
    )
    return snapshot


def _add_this_run(snapshot: ArchiveSnapshot, warc_dir: Path, run_files: list[Path]) -> None:
    """Index the records of a killed run, so resuming serves them from the WARC."""
    full_by_digest: dict[str, ArchivedLocation] = {}
    revisits: list[tuple[str, str | None]] = []
    for path in run_files:
        if not path.exists():
            continue
        for row in iter_capture_rows(path):
            if row.record_type == "response":
                location = ArchivedLocation(path, row.warc_offset)
                snapshot.this_run[row.url] = location
                if row.payload_digest:
                    full_by_digest.setdefault(row.payload_digest, location)
                    snapshot.payloads.setdefault(row.payload_digest, (row.url, row.captured_at))
            elif row.record_type == "revisit":
                revisits.append((row.url, row.payload_digest))
    for url, digest in revisits:
        location = full_by_digest.get(digest or "")
        if location is None and url in snapshot.held:
            location = snapshot.held_location(snapshot.held[url], warc_dir)
        if location is not None:
            snapshot.this_run[url] = location
