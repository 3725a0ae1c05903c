"""Deriving the analyst tables (articles, versions, URLs, near-duplicates) from the extractions.

Everything here is recomputed from `extractions` and `captures` in one transaction, so the result
depends only on what the WARCs hold: incremental ingest and `reindex` give the same tables, and
running it twice changes nothing. Extraction (the expensive part) is incremental upstream.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import duckdb
import pyarrow as pa

from archive.dedup.groups import PageSignals, group_pages
from archive.dedup.near import find_near_duplicates
from archive.dedup.urls import normalize_url
from archive.sitemaps import lastmod_moved, sitemap_lastmods
from archive.story_content import field_fingerprints, has_story_text
from archive.story_history import Sighting, story_history

log = logging.getLogger(__name__)


@dataclass
class Story:
    key: str
    sightings: list[Sighting] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # url -> reason


def article_id(story_key: str) -> str:
    return hashlib.sha1(story_key.encode("utf-8")).hexdigest()[:16]


def _signals(con: duckdb.DuckDBPyConnection) -> tuple[list[PageSignals], dict[str, dict]]:
    records: dict[str, dict] = {}
    signals = []
    rows = con.execute(
        "SELECT capture_id, url, captured_at, record, content_hash FROM extractions "
        "WHERE error IS NULL ORDER BY captured_at, capture_id"
    ).fetchall()
    for capture_id, url, captured_at, raw, digest in rows:
        record = json.loads(raw)
        records[capture_id] = record
        signals.append(
            PageSignals(
                url=url,
                captured_at=captured_at,
                canonical_url=record.get("canonical_url"),
                amp_url=record.get("amp_url"),
                mobile_url=record.get("mobile_url"),
                alternates=record.get("language_alternates") or {},
                content_hash=digest if has_story_text(record) else None,
            )
        )
    redirects = con.execute(
        "SELECT url, location, captured_at FROM captures WHERE location IS NOT NULL "
        "AND record_type IN ('response', 'revisit') ORDER BY captured_at, record_id"
    ).fetchall()
    for url, location, captured_at in redirects:
        signals.append(
            PageSignals(
                url=url, captured_at=captured_at, canonical_url=None, amp_url=None,
                mobile_url=None, alternates={}, content_hash=None,
                redirect_to=urljoin(url, location),
            )
        )  # fmt: skip
    return signals, records


def _sightings(con: duckdb.DuckDBPyConnection) -> list[Sighting]:
    """Every capture that shows a story page: extracted ones, revisits of them, and 404/410s."""
    rows = con.execute(
        """
        SELECT e.captured_at, e.capture_id, e.url, 200 AS status, e.capture_id, c.run_id
        FROM extractions e JOIN captures c ON c.record_id = e.capture_id
        WHERE e.error IS NULL
        UNION ALL
        SELECT r.captured_at, r.record_id, r.url, 200, e.capture_id, r.run_id
        FROM captures r
        JOIN captures o ON o.payload_digest = r.payload_digest AND o.record_type = 'response'
        JOIN extractions e ON e.capture_id = o.record_id AND e.error IS NULL
        WHERE r.record_type = 'revisit' AND r.status IN (200, 304)
        QUALIFY row_number() OVER (PARTITION BY r.record_id ORDER BY o.captured_at, o.record_id) = 1
        UNION ALL
        SELECT captured_at, record_id, url, status, NULL, run_id
        FROM captures WHERE record_type = 'response' AND status IN (404, 410)
        ORDER BY 1, 2
        """
    ).fetchall()
    return [Sighting(*row) for row in rows]


def _group(con: duckdb.DuckDBPyConnection):
    signals, records = _signals(con)
    keys, memberships = group_pages(signals)
    stories: dict[str, Story] = {}
    for membership in memberships:
        story = stories.setdefault(membership.story_key, Story(membership.story_key))
        story.reasons[membership.url] = membership.reason
    for sighting in _sightings(con):
        key = keys.get(normalize_url(sighting.url))
        if key in stories:
            stories[key].sightings.append(sighting)
    return stories, records, memberships


def _site_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(
        "SELECT record_id, profile FROM captures WHERE record_type IN ('response', 'revisit', "
        "'resource') AND profile IS NOT NULL"
    ).fetchall())  # fmt: skip


def derive_story_tables(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> dict[str, int]:
    """Rebuild articles, article_versions, paragraph_pairs, article_urls, article_captures and
    near_duplicates from extractions and captures, atomically."""
    stories, records, memberships = _group(con)
    lastmods = sitemap_lastmods(con, warc_dir)
    sites = _site_of(con)
    articles, versions, pairs, captures, docs, changes = [], [], [], [], [], []
    url_rows = []
    kept: set[str] = set()
    for key, story in sorted(stories.items()):
        content_urls = [u for u, r in story.reasons.items() if r in ("canonical", "hreflang")]
        history = story_history(
            story.sightings,
            story.reasons,
            records,
            lambda before, after, urls=content_urls: lastmod_moved(lastmods, before, after, urls),
        )
        story_versions, status = history.versions, history.status
        if not story_versions:
            continue  # a listing or an error page: no story text was ever seen
        kept.add(key)
        aid = article_id(key)
        first, last = story.sightings[0], story.sightings[-1]
        head = story_versions[-1].record
        articles.append({
            "article_id": aid, "site": sites.get(first.capture_id), "canonical_url": key,
            "title_en": head.get("title_en"), "title_zh": head.get("title_zh"),
            "published_at": _time(head.get("published_at")),
            "updated_at": _time(head.get("updated_at")),
            "first_seen_at": first.captured_at, "last_seen_at": last.captured_at,
            "status": status, "version_count": len(story_versions),
        })  # fmt: skip
        for v in story_versions:
            r = v.record
            versions.append({
                "article_id": aid, "version": v.number, "captured_at": v.captured_at,
                "content_hash": v.hash, "field_hashes": json.dumps(field_fingerprints(r)),
                "title_en": r.get("title_en"), "title_zh": r.get("title_zh"),
                "summary_en": r.get("summary_en"), "summary_zh": r.get("summary_zh"),
                "body_en": r.get("body_en") or [], "body_zh": r.get("body_zh") or [],
                "tldr_en": r.get("tldr_en") or [], "tldr_zh": r.get("tldr_zh") or [],
                "tags": r.get("tags") or [], "scores": json.dumps(r.get("scores") or {}),
                "faq": json.dumps(r.get("faq") or [], ensure_ascii=False),
                "key_data": json.dumps(r.get("key_data") or [], ensure_ascii=False),
                "author": r.get("author"),
                "published_at": _time(r.get("published_at")),
                "claimed_updated_at": _time(r.get("updated_at")),
                "capture_id": v.capture_id,
            })  # fmt: skip
            for position, (en, zh) in enumerate(r.get("paragraph_pairs") or [], start=1):
                pairs.append({"article_id": aid, "version": v.number, "position": position,
                              "text_en": en, "text_zh": zh})  # fmt: skip
        for c in history.changes:
            changes.append({
                "article_id": aid, "detected_at": c.detected_at, "kind": c.kind,
                "from_version": c.from_version, "to_version": c.to_version,
                "fields": list(c.fields), "claimed": c.claimed, "diff": c.diff,
                "capture_id": c.capture_id,
            })  # fmt: skip
        for s in story.sightings:
            captures.append({"article_id": aid, "capture_id": s.capture_id, "url": s.url,
                             "captured_at": s.captured_at, "status": s.status})  # fmt: skip
        text = "\n".join((head.get("body_en") or []) + (head.get("body_zh") or []))
        docs.append((first.captured_at, aid, sites.get(first.capture_id) or "", text))
    for m in memberships:
        if m.story_key in kept:
            url_rows.append({"url": m.url, "article_id": article_id(m.story_key),
                             "reason": m.reason})  # fmt: skip
    docs.sort()
    near = [
        {"article_id": n.story_key, "copy_of": n.copy_of, "similarity": round(n.similarity, 4)}
        for n in find_near_duplicates([(aid, site, text) for _, aid, site, text in docs])
    ]
    tables = {
        "articles": (articles, ARTICLES),
        "article_versions": (versions, VERSIONS),
        "paragraph_pairs": (pairs, PAIRS),
        "article_urls": (url_rows, URLS),
        "article_captures": (captures, CAPTURES),
        "near_duplicates": (near, NEAR),
        "changes": (changes, CHANGES),
    }
    _replace_tables(con, tables)
    return {name: len(rows) for name, (rows, _) in tables.items()}


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


TS = pa.timestamp("us", tz="UTC")
ARTICLES = pa.schema([
    ("article_id", pa.string()), ("site", pa.string()), ("canonical_url", pa.string()),
    ("title_en", pa.string()), ("title_zh", pa.string()), ("published_at", TS),
    ("updated_at", TS), ("first_seen_at", TS), ("last_seen_at", TS), ("status", pa.string()),
    ("version_count", pa.int32()),
])  # fmt: skip
VERSIONS = pa.schema([
    ("article_id", pa.string()), ("version", pa.int32()), ("captured_at", TS),
    ("content_hash", pa.string()), ("field_hashes", pa.string()), ("title_en", pa.string()),
    ("title_zh", pa.string()), ("summary_en", pa.string()), ("summary_zh", pa.string()),
    ("body_en", pa.list_(pa.string())), ("body_zh", pa.list_(pa.string())),
    ("tldr_en", pa.list_(pa.string())), ("tldr_zh", pa.list_(pa.string())),
    ("tags", pa.list_(pa.string())), ("scores", pa.string()), ("faq", pa.string()),
    ("key_data", pa.string()), ("author", pa.string()), ("published_at", TS),
    ("claimed_updated_at", TS), ("capture_id", pa.string()),
])  # fmt: skip
PAIRS = pa.schema([
    ("article_id", pa.string()), ("version", pa.int32()), ("position", pa.int32()),
    ("text_en", pa.string()), ("text_zh", pa.string()),
])  # fmt: skip
URLS = pa.schema([("url", pa.string()), ("article_id", pa.string()), ("reason", pa.string())])
CAPTURES = pa.schema([
    ("article_id", pa.string()), ("capture_id", pa.string()), ("url", pa.string()),
    ("captured_at", TS), ("status", pa.int32()),
])  # fmt: skip
CHANGES = pa.schema([
    ("article_id", pa.string()), ("detected_at", TS), ("kind", pa.string()),
    ("from_version", pa.int32()), ("to_version", pa.int32()),
    ("fields", pa.list_(pa.string())), ("claimed", pa.bool_()), ("diff", pa.string()),
    ("capture_id", pa.string()),
])  # fmt: skip
NEAR = pa.schema([
    ("article_id", pa.string()), ("copy_of", pa.string()), ("similarity", pa.float64()),
])  # fmt: skip


def _replace_tables(con: duckdb.DuckDBPyConnection, tables: dict) -> None:
    """Swap in the new contents of every derived table (declared in schema.sql) at once."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, (rows, schema) in tables.items():
            con.register("derived_batch", pa.Table.from_pylist(rows, schema=schema))
            columns = ", ".join(schema.names)
            # Table names are the constants above; values only come through the Arrow batch.
            con.execute(f"DELETE FROM {name}")
            con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM derived_batch")
            con.unregister("derived_batch")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
