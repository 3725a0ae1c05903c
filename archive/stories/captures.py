"""Extracting story captures: each static story response and each rendered DOM, exactly once.

Which captures are stories, and how they are extracted, is decided from the WARCs alone: the page
patterns and extraction rules of the profile that crawled a file travel in its warcinfo record
(`newsarc-page-patterns`, `newsarc-extract-rules`). Extraction results land in the internal
`extractions` table, keyed by the capture's WARC-Record-ID, so running this twice extracts nothing
new.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.catalog.staging import insert_rows
from archive.stories.content import page_fingerprint, page_signals
from archive.stories.dedup.urls import normalize_url
from archive.stories.extract import BadExtractRules, extract
from archive.warc.extract_rules import normalise_rules
from archive.warc.imports import read_assignments
from archive.warc.reader import parse_warc_fields, read_http_response, read_resource_block
from archive.warc.records import (
    RENDERED_DOM_URL_LIKES,
    WARCINFO_EXTRACT_RULES,
    WARCINFO_PAGE_PATTERNS,
    rendered_dom_page_url,
)

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class StoryCapture:
    capture_id: str
    url: str
    captured_at: datetime
    warc_file: str
    warc_offset: int
    record_type: str
    profile: str | None
    rules: dict[str, list[str]] = field(default_factory=dict)  # the file's extraction rules


@dataclass(frozen=True)
class CaptureContext:
    """What the profile that crawled a WARC file said about its pages, from its warcinfo."""

    stories: list[re.Pattern]
    rules: dict[str, list[str]]


def capture_contexts(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> dict[str, CaptureContext]:
    """warc_file -> its story patterns and extraction rules, one warcinfo read per file.

    A file without patterns (written by another tool) gets a match-all pattern: every HTML page is
    a candidate, and pages without story text are dropped later. A file without rules, or with
    rules that do not validate (a hand-edited warcinfo), is extracted generically. An imported
    file takes the patterns and rules of the profile its import assigned
    (`archive.warc.imports`)."""
    contexts: dict[str, CaptureContext] = {}
    rows = con.execute(
        "SELECT warc_file, warc_offset FROM captures WHERE record_type = 'warcinfo'"
    ).fetchall()
    for warc_file, offset in rows:
        try:
            with open(warc_dir / warc_file, "rb") as handle:
                handle.seek(offset)
                record = next(iter(ArchiveIterator(handle)))
                fields = parse_warc_fields(record.content_stream().read())
        except (ArchiveLoadFailed, OSError, ValueError, EOFError, StopIteration) as exc:
            # Bit rot in a catalogued warcinfo (ingest quarantines the file): its stories wait
            # for a good copy instead of stopping every other file's extraction.
            log.error("%s: warcinfo at offset %d unreadable (%r); skipping", warc_file, offset, exc)
            continue
        contexts[warc_file] = CaptureContext(
            _story_patterns(warc_file, fields), _extract_rules(warc_file, fields)
        )
    for warc_file, assignment in read_assignments(warc_dir).items():
        # An imported file: the profile `newsarc import` assigned it says which pages are
        # stories; without one, every HTML page is a candidate, as for any foreign file.
        if WARCINFO_PAGE_PATTERNS in assignment.fields or warc_file not in contexts:
            fields = assignment.fields
            contexts[warc_file] = CaptureContext(
                _story_patterns(warc_file, fields), _extract_rules(warc_file, fields)
            )
    return contexts


def _story_patterns(warc_file: str, fields: dict[str, str]) -> list[re.Pattern]:
    """The file's story URL patterns: match-all without any, or with patterns that do not parse
    (a hand-edited warcinfo), as for a file another tool wrote."""
    raw = fields.get(WARCINFO_PAGE_PATTERNS)
    if not raw:
        return [re.compile("")]
    try:
        return [re.compile(p) for p in json.loads(raw).get("stories", [])]
    except (ValueError, TypeError, AttributeError, re.error) as exc:  # not {"stories": [regex]}
        log.warning(
            "%s: ignoring its warcinfo newsarc-page-patterns, every HTML page is a candidate: %r",
            warc_file,
            exc,
        )
        return [re.compile("")]


def _extract_rules(warc_file: str, fields: dict[str, str]) -> dict[str, list[str]]:
    raw = fields.get(WARCINFO_EXTRACT_RULES)
    if not raw:
        return {}
    try:
        rules = json.loads(raw)
        if not isinstance(rules, dict):
            raise BadExtractRules(f"not a JSON object: {raw!r}")
        return normalise_rules(rules)
    except (ValueError, TypeError) as exc:  # not JSON, or not {field: selectors}
        log.warning(
            "%s: ignoring its warcinfo newsarc-extract-rules, extracting generically: %s",
            warc_file,
            exc,
        )
        return {}


def pending_story_captures(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> list[StoryCapture]:
    """Story captures not extracted yet, oldest first.

    A static story is a 200 HTML response whose URL matches its file's story patterns, unless a
    rendered DOM was made from it (then the DOM is the story; the shell has no text). A rendered
    DOM is a story unless its document answered with an error status.
    """
    contexts = capture_contexts(con, warc_dir)
    dom, legacy_dom = RENDERED_DOM_URL_LIKES  # today's URNs and those of older archives
    rows = con.execute(
        """
        SELECT c.record_id, c.url, c.captured_at, c.warc_file, c.warc_offset, c.record_type,
               c.profile
        FROM captures c
        LEFT JOIN extractions e ON e.capture_id = c.record_id
        WHERE e.capture_id IS NULL
          AND ((c.record_type = 'response' AND c.status = 200
                AND c.content_type ILIKE '%html%'
                AND c.record_id NOT IN (SELECT concurrent_to FROM captures
                                        WHERE record_type = 'resource'
                                          AND (url LIKE $dom OR url LIKE $legacy_dom)
                                          AND concurrent_to IS NOT NULL))
               OR (c.record_type = 'resource' AND (c.url LIKE $dom OR c.url LIKE $legacy_dom)
                   -- the DOM of an error page (a 404 the browser rendered) is no story: the
                   -- document's own response says the story is gone
                   AND NOT EXISTS (SELECT 1 FROM captures d
                                   WHERE d.record_id = c.concurrent_to AND d.status <> 200)))
        ORDER BY c.captured_at, c.record_id
        """,
        {"dom": dom, "legacy_dom": legacy_dom},
    ).fetchall()
    pending = []
    no_context = CaptureContext([], {})
    for capture_id, url, captured_at, warc_file, offset, record_type, profile in rows:
        context = contexts.get(warc_file, no_context)
        page_url = rendered_dom_page_url(url) if record_type == "resource" else url
        if record_type == "response" and not any(p.search(page_url) for p in context.stories):
            continue
        pending.append(
            StoryCapture(
                capture_id,
                page_url,
                captured_at,
                warc_file,
                offset,
                record_type,
                profile,
                context.rules,
            )
        )
    return pending


def _load_page(capture: StoryCapture, warc_dir: Path) -> tuple[bytes, dict[str, str]]:
    path = warc_dir / capture.warc_file
    if capture.record_type == "resource":
        body = read_resource_block(path, capture.warc_offset)
        return body, {"content-type": "text/html; charset=utf-8"}
    archived = read_http_response(path, capture.warc_offset)
    return archived.body, {name.lower(): value for name, value in archived.headers}


EXTRACTION_SCHEMA = pa.schema(
    [
        ("capture_id", pa.string()),
        ("url", pa.string()),
        ("profile", pa.string()),
        ("captured_at", pa.timestamp("us", tz="UTC")),
        ("rendered", pa.bool_()),
        ("content_hash", pa.string()),
        ("record", pa.string()),
        ("error", pa.string()),
        ("node", pa.string()),
        ("story_text", pa.bool_()),
        ("filled", pa.int32()),
        ("fingerprints", pa.list_(pa.string())),
        ("claim", pa.timestamp("us", tz="UTC")),
        ("signals", pa.string()),
        ("en_paragraphs", pa.list_(pa.string())),
        ("zh_paragraphs", pa.list_(pa.string())),
    ]
)


def _extract_rows(captures: list[StoryCapture], warc_dir: Path) -> Iterator[dict]:
    for capture in captures:
        row = {
            "capture_id": capture.capture_id,
            "url": capture.url,
            "profile": capture.profile,
            "captured_at": capture.captured_at,
            "rendered": capture.record_type == "resource",
            "content_hash": None,
            "record": None,
            "error": None,
            "node": normalize_url(capture.url),
            "story_text": False,
            "filled": 0,
            "fingerprints": None,
            "claim": None,
            "signals": None,
            "en_paragraphs": None,
            "zh_paragraphs": None,
        }
        try:
            body, headers = _load_page(capture, warc_dir)
            story = extract(capture.url, body, capture.captured_at, headers, capture.rules)
            record = story.to_json_dict()
            row["record"] = json.dumps(record, ensure_ascii=False, sort_keys=True)
            fingerprint = page_fingerprint(record)
            row["content_hash"] = fingerprint.content_hash
            row["story_text"] = fingerprint.story_text
            row["filled"] = fingerprint.filled
            row["fingerprints"] = fingerprint.fingerprints
            row["claim"] = fingerprint.claim
            row["en_paragraphs"], row["zh_paragraphs"] = fingerprint.paragraphs
            content = row["content_hash"] if fingerprint.story_text else None
            row["signals"] = page_signals(record, content)
        except Exception as exc:  # recorded, never fatal: one bad page must not stop ingest
            log.info("extraction failed for %s (%s): %r", capture.url, capture.capture_id, exc)
            row["error"] = f"{type(exc).__name__}: {exc}"
        yield row


def extract_pending(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> int:
    """Extract every story capture not extracted yet; returns how many were added."""
    pending = pending_story_captures(con, warc_dir)
    added = 0
    for start in range(0, len(pending), BATCH):
        rows = list(_extract_rows(pending[start : start + BATCH], warc_dir))
        con.execute("BEGIN TRANSACTION")
        try:
            insert_rows(con, "extractions", rows, EXTRACTION_SCHEMA, on_conflict="DO NOTHING")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        added += len(rows)
    return added
