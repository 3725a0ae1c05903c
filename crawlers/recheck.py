"""When to re-fetch a known story: often while it is young or changing, rarely once it is stable.

A story is due again once the time since it was last seen exceeds a fraction of the time it has
been stable (since its last new/edited/removed/restored change), clamped between the profile's
minimum and maximum intervals. A story edited an hour ago is re-checked within minutes; one
unchanged for a month, about weekly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from archive.catalog.window import known_story_urls

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecheckPolicy:
    min_interval: timedelta
    max_interval: timedelta
    stable_fraction: float

    def interval(self, stable_for: timedelta) -> timedelta:
        return min(self.max_interval, max(self.min_interval, stable_for * self.stable_fraction))

    def is_due(self, now: datetime, last_seen: datetime, last_changed: datetime) -> bool:
        return now - last_seen >= self.interval(now - last_changed)


def due_story_urls(
    con: duckdb.DuckDBPyConnection, site: str, policy: RecheckPolicy, now: datetime
) -> list[str]:
    """Known story URLs of `site` that are due for a re-fetch, most stale first."""
    known = known_story_urls(con, site)
    due = [
        (story.last_seen_at, story.url)
        for story in known
        if policy.is_due(now, story.last_seen_at, story.last_changed_at)
    ]
    log.info("%d of %d known story URLs of %s are due", len(due), len(known), site)
    return [url for _, url in sorted(due)]
