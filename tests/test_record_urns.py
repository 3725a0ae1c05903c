"""A browser capture's rendered DOM is named as Browsertrix names its records (`urn:dom:` beside
`urn:text:` and `urn:view:`), and archives written before, with `urn:newsarc:rendered-dom:`,
still read: the same capture written either way catalogs the same story."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from archive.warc.records import (
    LEGACY_RENDERED_DOM_URN_PREFIX,
    rendered_dom_page_url,
    rendered_dom_urn,
)
from archive.warc.writer import HttpExchange, WarcWriter
from flows.pipeline import ingest_data_dir, reindex
from tests.catalog_queries import query

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "demo"
PAGE = "http://127.0.0.25:8721/technology/live/2026/nov/20/chat-service-outage"
FIXTURE = "live-chat-service-outage"  # the rendered DOM of PAGE, and its expected record
CAPTURED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
# What the browser was first sent: a script shell with no story in it.
SHELL = b'<!doctype html><html><body><div id="app"></div><script src="/static/live.js"></script>'
STORY_SQL = """
SELECT a.canonical_url, a.title_en, a.title_zh, v.version, v.content_hash, v.captured_at
FROM articles a JOIN article_versions v USING (article_id) ORDER BY ALL
"""


def write_browser_capture(data: Path, dom_urn: str) -> None:
    """One browser capture as the crawler writes it: the shell's response, then its rendered
    DOM under `dom_urn`, linked to it."""
    fields = {
        "isPartOf": "demo-zoo",
        "newsarc-run-id": "r1",
        "newsarc-page-patterns": json.dumps({"stories": ["/live/"]}),
    }
    writer = WarcWriter(data / "warcs", "urns", warcinfo_fields=fields)
    response, _ = writer.write_exchange(
        HttpExchange(
            url=PAGE,
            method="GET",
            request_headers=[("User-Agent", "newsarc-test")],
            status=200,
            response_headers=[("Content-Type", "text/html; charset=utf-8")],
            body=SHELL,
            captured_at=CAPTURED_AT,
            ip_address="127.0.0.1",
        )
    )
    dom = gzip.decompress((GOLDEN / f"{FIXTURE}.html.gz").read_bytes())
    writer.write_resource(
        dom_urn, dom, "text/html; charset=utf-8", captured_at=CAPTURED_AT,
        concurrent_to=response.record_id, refers_to_uri=PAGE,
    )  # fmt: skip
    writer.close()


def test_both_dom_urns_name_the_page_they_were_rendered_from():
    assert rendered_dom_urn(PAGE) == f"urn:dom:{PAGE}"
    assert rendered_dom_page_url(f"urn:dom:{PAGE}") == PAGE
    assert rendered_dom_page_url(f"urn:newsarc:rendered-dom:{PAGE}") == PAGE
    assert rendered_dom_page_url(f"urn:text:{PAGE}") is None
    assert rendered_dom_page_url(PAGE) is None


def test_a_warc_with_the_old_dom_urn_catalogs_the_same_story_as_today(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    write_browser_capture(old, LEGACY_RENDERED_DOM_URN_PREFIX + PAGE)
    write_browser_capture(new, rendered_dom_urn(PAGE))
    ingest_data_dir(old)
    ingest_data_dir(new)

    stories = query(new, STORY_SQL)
    expected = json.loads((GOLDEN / f"{FIXTURE}.json").read_text(encoding="utf-8"))
    [(url, title_en, title_zh, version, _, _)] = stories  # the shell is no story of its own
    assert (url, version) == (PAGE, 1)
    assert (title_en, title_zh) == (expected["record"]["title_en"], expected["record"]["title_zh"])
    assert query(old, STORY_SQL) == stories

    reindex(old)
    assert query(old, STORY_SQL) == stories, "an old archive reindexes to the same catalog"
