"""The derivation's inputs from newly ingested WARC files: sightings, redirects, sitemap lastmods.

Each ingest adds only what the files not derived yet (`derived_warcs`) hold, so the cost of a
derivation follows what was newly captured, not the size of the archive.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urljoin

import duckdb
import pyarrow as pa
from lxml import etree

from archive.catalog.staging import arrow_view, insert_rows
from archive.errors import BadWarc
from archive.stories.dedup.urls import normalize_url
from archive.stories.sitemaps import sitemap_entries
from archive.warc.content_coding import remove_content_coding
from archive.warc.reader import read_http_response

log = logging.getLogger(__name__)


def underived_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Fully ingested WARC files whose captures the story tables do not hold yet, oldest first."""
    rows = con.execute(
        "SELECT warc_file FROM warc_files WHERE warc_file NOT IN "
        "(SELECT warc_file FROM derived_warcs) ORDER BY warc_file"
    ).fetchall()
    return [row[0] for row in rows]


def stage_new_files(con: duckdb.DuckDBPyConnection) -> None:
    """The WARC files this derivation folds in: every ingested file not derived yet.

    Reads: warc_files, derived_warcs. Writes: new_files."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE new_files AS SELECT warc_file FROM warc_files "
        "WHERE warc_file NOT IN (SELECT warc_file FROM derived_warcs) ORDER BY warc_file"
    )


def mark_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Record the new files as derived, with how many stories were continued and rebuilt.

    Reads: new_files, scope. Writes: derived_warcs."""
    con.execute(
        "INSERT INTO derived_warcs SELECT warc_file, now(), "
        "(SELECT count(*) FROM scope WHERE NOT rebuild), "
        "(SELECT count(*) FROM scope WHERE rebuild) FROM new_files "
        "ON CONFLICT DO NOTHING"
    )


SIGHTINGS = pa.schema([
    ("capture_id", pa.string()), ("node", pa.string()), ("url", pa.string()),
    ("captured_at", pa.timestamp("us", tz="UTC")), ("status", pa.int32()),
    ("extraction_id", pa.string()), ("run_id", pa.string()), ("profile", pa.string()),
    ("story_text", pa.bool_()), ("filled", pa.int32()), ("fingerprints", pa.list_(pa.string())),
    ("claim", pa.timestamp("us", tz="UTC")),
])  # fmt: skip


def record_sightings(con: duckdb.DuckDBPyConnection) -> None:
    """Add the new files' sightings: extracted pages, revisits of extracted payloads, 404/410s.

    Reads: new_files; extractions, captures.
    Writes: new_sightings, revisits; sightings."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_sightings AS
        SELECT e.capture_id, e.node, e.url, e.captured_at, 200 AS status,
               e.capture_id AS extraction_id, c.run_id, c.profile, e.story_text, e.filled,
               e.fingerprints, e.claim
        FROM extractions e JOIN captures c ON c.record_id = e.capture_id
        WHERE e.error IS NULL AND c.warc_file IN (SELECT warc_file FROM new_files)
        """
    )
    # A revisit shows the earliest extracted response with its payload. Files can arrive in
    # any order, so the new files' responses may also be (or newly precede) the original of
    # revisits already derived: those are looked at again, and their stories replayed.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE revisits AS
        SELECT record_id, url, captured_at, run_id, profile, payload_digest FROM captures
        WHERE record_type = 'revisit' AND status IN (200, 304)
          AND (warc_file IN (SELECT warc_file FROM new_files)
               OR payload_digest IN (SELECT payload_digest FROM captures
                                     WHERE record_type = 'response'
                                       AND warc_file IN (SELECT warc_file FROM new_files)))
        """
    )
    con.execute("DELETE FROM sightings WHERE capture_id IN (SELECT record_id FROM revisits)")
    rows = con.execute(
        """
        SELECT r.record_id, r.url, r.captured_at, 200, e.capture_id, r.run_id, r.profile,
               e.story_text, e.filled, e.fingerprints, e.claim
        FROM revisits r
        JOIN captures o ON o.payload_digest = r.payload_digest AND o.record_type = 'response'
        JOIN extractions e ON e.capture_id = o.record_id AND e.error IS NULL
        QUALIFY row_number() OVER (PARTITION BY r.record_id ORDER BY o.captured_at, o.record_id) = 1
        UNION ALL
        SELECT record_id, url, captured_at, status, NULL, run_id, profile, false, NULL, NULL, NULL
        FROM captures
        WHERE record_type = 'response' AND status IN (404, 410)
          AND warc_file IN (SELECT warc_file FROM new_files)
        """
    ).fetchall()
    batch = [
        {"capture_id": cid, "node": normalize_url(url), "url": url, "captured_at": at,
         "status": status, "extraction_id": eid, "run_id": run, "profile": profile,
         "story_text": bool(text), "filled": filled, "fingerprints": fps, "claim": claim}
        for cid, url, at, status, eid, run, profile, text, filled, fps, claim in rows
    ]  # fmt: skip
    insert_rows(con, "new_sightings", batch, SIGHTINGS)
    con.execute("INSERT INTO sightings SELECT * FROM new_sightings")


SIGNALS = pa.schema([
    ("url", pa.string()), ("node", pa.string()), ("signals", pa.string()),
    ("content", pa.string()), ("first_captured_at", pa.timestamp("us", tz="UTC")),
])  # fmt: skip


def record_page_signals(con: duckdb.DuckDBPyConnection) -> None:
    """Stage the new files' grouping signals in `novel_signals` (those no capture of the same
    URL showed before, or only later) and add them to `page_signals`.

    Reads: new_files; captures, extractions, page_signals.
    Writes: novel_signals; page_signals."""
    redirects = con.execute(
        "SELECT url, location, min(captured_at) FROM captures WHERE location IS NOT NULL "
        "AND record_type IN ('response', 'revisit') "
        "AND warc_file IN (SELECT warc_file FROM new_files) GROUP BY url, location"
    ).fetchall()
    batch = [
        {"url": url, "node": normalize_url(url), "first_captured_at": at,
         "signals": json.dumps({"redirect": urljoin(url, location)}, ensure_ascii=False),
         "content": None}
        for url, location, at in redirects
    ]  # fmt: skip
    redirect_batch = pa.Table.from_pylist(batch, schema=SIGNALS)
    with arrow_view(con, "redirect_batch", redirect_batch):
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE novel_signals AS
            WITH fresh AS (
                SELECT e.url, e.node, e.signals,
                       CASE WHEN e.story_text THEN e.content_hash END AS content,
                       min(e.captured_at) AS first_captured_at
                FROM extractions e JOIN captures c ON c.record_id = e.capture_id
                WHERE e.error IS NULL AND c.warc_file IN (SELECT warc_file FROM new_files)
                GROUP BY ALL
                UNION ALL
                SELECT url, node, signals, content, first_captured_at FROM redirect_batch
            )
            SELECT f.* FROM fresh f
            WHERE NOT EXISTS (
                SELECT 1 FROM page_signals p
                WHERE p.url = f.url AND p.signals = f.signals
                  AND p.first_captured_at <= f.first_captured_at
            )
            """
        )
    # A signal seen again, but earlier than known (a file ingested late), moves its first time.
    con.execute(
        "DELETE FROM page_signals WHERE (url, signals) IN (SELECT url, signals FROM novel_signals)"
    )
    con.execute(
        "INSERT INTO page_signals SELECT url, node, signals, content, min(first_captured_at) "
        "FROM novel_signals GROUP BY ALL"
    )


def record_sitemap_lastmods(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> None:
    """Every <url><lastmod> of the new files' sitemaps, per crawl run (the later capture wins).

    A sitemap that did not change since the last crawl is archived as a revisit (a 304, or an
    identical payload); it still says what the lastmods were in that run, read from the
    response it repeats, so the next run's lastmods have something to be compared with.

    Reads: new_files; captures, the WARC files. Writes: sitemap_lastmods."""
    rows = con.execute(
        """
        WITH sitemaps AS (
            SELECT record_id, url, warc_file, warc_offset, payload_digest, captured_at
            FROM captures
            WHERE record_type = 'response' AND status = 200 AND content_type ILIKE '%xml%'
        ), shown AS (
            SELECT url, warc_file, warc_offset, run_id, captured_at, record_id FROM captures
            WHERE record_type = 'response' AND status = 200 AND content_type ILIKE '%xml%'
              AND run_id IS NOT NULL AND warc_file IN (SELECT warc_file FROM new_files)
            UNION ALL
            SELECT r.url, o.warc_file, o.warc_offset, r.run_id, r.captured_at, r.record_id
            FROM captures r JOIN sitemaps o ON o.payload_digest = r.payload_digest
            WHERE r.record_type = 'revisit' AND r.status IN (200, 304) AND r.run_id IS NOT NULL
              AND (r.warc_file IN (SELECT warc_file FROM new_files)
                   OR o.warc_file IN (SELECT warc_file FROM new_files))
            QUALIFY row_number() OVER (PARTITION BY r.record_id
                                       ORDER BY o.captured_at, o.record_id) = 1
        )
        SELECT url, warc_file, warc_offset, run_id FROM shown ORDER BY captured_at, record_id
        """
    ).fetchall()
    lastmods: dict[tuple[str, str], str] = {}
    for url, warc_file, offset, run_id in rows:
        try:
            body = read_http_response(warc_dir / warc_file, offset).body
            body = remove_content_coding(body, None)  # a sitemap.xml.gz: gzip, no header
            for loc, lastmod in sitemap_entries(body):
                lastmods[(run_id, normalize_url(loc))] = lastmod
        except (etree.XMLSyntaxError, OSError, ValueError, BadWarc) as exc:
            log.info("not a readable sitemap: %s (%r)", url, exc)
    rows = [{"run_id": run, "node": node, "lastmod": lastmod}
            for (run, node), lastmod in lastmods.items()]  # fmt: skip
    if rows:
        with arrow_view(con, "lastmod_batch", pa.Table.from_pylist(rows, schema=LASTMODS)):
            con.execute("INSERT OR REPLACE INTO sitemap_lastmods SELECT * FROM lastmod_batch")


LASTMODS = pa.schema([("run_id", pa.string()), ("node", pa.string()), ("lastmod", pa.string())])
