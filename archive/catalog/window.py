"""The crawler's one read-only window onto the catalog: what the archive already holds.

A crawl reads the catalog once, when it starts, and only through this module: the newest good
capture of each URL (for conditional GETs), the payload digests already stored in full (for
identical-payload revisits) and when each known story was last seen and last changed (for
re-checking stories that are due). The crawler never writes the catalog and never runs other SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from archive.catalog.connection import open_catalog


def open_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    """The catalog opened read-only and sealed (see `open_catalog`); `CatalogLocked` while a
    writer holds it."""
    return open_catalog(db_path, read_only=True)


@dataclass(frozen=True, slots=True)
class HeldCapture:
    """The newest good capture of a URL, as the crawler needs it for a conditional GET.

    ``captured_at`` is when the URL was last seen good (a 200 response, or a revisit confirming
    one); ``etag``/``last_modified`` are the validators to send. The ``warc_*`` location, together
    with ``record_id``/``response_url``/``response_date``, is the response record holding the
    payload: read it with `archive.warc.reader.read_http_response` and cite it in a revisit's
    WARC-Refers-To / -Target-URI / -Date.
    """

    url: str
    captured_at: datetime
    etag: str | None
    last_modified: str | None
    payload_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    record_id: str
    response_url: str
    response_date: datetime


_HELD_SQL = """
WITH ok AS (
    SELECT * FROM captures WHERE record_type = 'response' AND status = 200
),
seen AS (
    SELECT url, captured_at AS seen_at, etag, last_modified, record_id AS seen_id,
           record_id AS ref_id
    FROM ok
    UNION ALL
    SELECT v.url, v.captured_at, v.etag, v.last_modified, v.record_id, o.record_id
    FROM captures v
    JOIN ok o
      ON o.url = v.refers_to_uri
     AND date_trunc('second', o.captured_at) = date_trunc('second', v.refers_to_date)
    WHERE v.record_type = 'revisit' AND coalesce(v.status, 200) IN (200, 304)
    QUALIFY row_number() OVER (
        PARTITION BY v.record_id
        ORDER BY (o.captured_at = v.refers_to_date) DESC,
                 (o.payload_digest = v.payload_digest) DESC NULLS LAST,
                 o.captured_at DESC
    ) = 1
),
latest AS (
    SELECT * FROM seen
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY seen_at DESC, seen_id) = 1
)
SELECT l.url, l.seen_at,
       coalesce(l.etag, CASE WHEN o.url = l.url THEN o.etag END),
       coalesce(l.last_modified, CASE WHEN o.url = l.url THEN o.last_modified END),
       o.payload_digest, o.warc_file, o.warc_offset, o.warc_length,
       o.record_id, o.url, o.captured_at
FROM latest l JOIN ok o ON o.record_id = l.ref_id
"""


def held_captures(con: duckdb.DuckDBPyConnection) -> dict[str, HeldCapture]:
    """Newest 200 response per URL, or newer revisit confirming one, keyed by URL.

    A revisit counts when its WARC-Refers-To-Target-URI/-Date name a 200 response in the catalog
    (dates compared to the second, exact match preferred); the payload location is always that
    response's, since a revisit holds no body. Validators from another URL's response (an
    identical-payload revisit) are never lent to this URL.
    """
    return {row[0]: HeldCapture(*row) for row in con.execute(_HELD_SQL).fetchall()}


def payload_index(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, datetime]]:
    """Payload digest -> (target URI, WARC-Date) of the earliest response record with it.

    The crawler writes an identical-payload-digest revisit instead of a response when a new
    payload's digest is already here, citing this URI and date.
    """
    rows = con.execute(
        "SELECT payload_digest, arg_min(url, captured_at), min(captured_at) FROM captures "
        "WHERE record_type = 'response' AND payload_digest IS NOT NULL GROUP BY payload_digest"
    ).fetchall()
    return {digest: (url, date) for digest, url, date in rows}


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


@dataclass(frozen=True, slots=True)
class KnownStoryUrl:
    """A URL of a story the catalog knows: when the story was last seen and last changed
    (its last new/edited/removed/restored change, else its first sighting)."""

    url: str
    last_seen_at: datetime
    last_changed_at: datetime


def known_story_urls(con: duckdb.DuckDBPyConnection, site: str) -> list[KnownStoryUrl]:
    """The canonical and hreflang URLs of `site`'s known stories; none in an archive from before
    stories were derived."""
    try:
        rows = con.execute(_KNOWN_STORIES, [site]).fetchall()
    except duckdb.CatalogException:
        return []
    return [KnownStoryUrl(*row) for row in rows]
