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

log = logging.getLogger(__name__)

_KNOWN_STORIES = """
    SELECT u.url, a.last_seen_at,
           coalesce(max(c.detected_at), a.first_seen_at) AS last_changed_at
    FROM articles a
    JOIN article_urls u USING (article_id)
    LEFT JOIN changes c ON c.article_id = a.article_id
         AND c.kind IN ('new', 'edited', 'removed', 'restored')
    WHERE a.site = ? AND u.reason IN ('canonical', 'hreflang')
    GROUP BY u.url, a.last_seen_at, a.first_seen_at
"""


@dataclass(frozen=True)
class RevisitPolicy:
    min_interval: timedelta
    max_interval: timedelta
    stable_fraction: float

    def interval(self, stable_for: timedelta) -> timedelta:
        return min(self.max_interval, max(self.min_interval, stable_for * self.stable_fraction))

    def is_due(self, now: datetime, last_seen: datetime, last_changed: datetime) -> bool:
        return now - last_seen >= self.interval(now - last_changed)


def due_story_urls(
    con: duckdb.DuckDBPyConnection, site: str, policy: RevisitPolicy, now: datetime
) -> list[str]:
    """Known story URLs of `site` that are due for a re-fetch, most stale first."""
    try:
        rows = con.execute(_KNOWN_STORIES, [site]).fetchall()
    except duckdb.CatalogException:
        return []  # an archive from before stories were derived
    due = [(seen, url) for url, seen, changed in rows if policy.is_due(now, seen, changed)]
    log.info("%d of %d known story URLs of %s are due", len(due), len(rows), site)
    return [url for _, url in sorted(due)]
