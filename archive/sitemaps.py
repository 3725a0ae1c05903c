"""What the archived sitemaps claimed: each story URL's <lastmod>, per crawl run.

A sitemap whose lastmod for a story moved between two crawls is the site claiming an update,
like a moved dateModified or "Updated" marker.
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import duckdb
from lxml import etree

from archive.dedup.urls import normalize_url
from archive.warc_reader import read_http_response

log = logging.getLogger(__name__)

_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# (crawl run id, normalised URL) -> lastmod as written (compared as text, so any move counts)
Lastmods = dict[tuple[str, str], str]


def _entries(body: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if not root.tag.endswith("urlset"):
        return []
    found = []
    for node in root.iter(f"{_LOC}url", "url"):
        loc = node.findtext(f"{_LOC}loc") or node.findtext("loc")
        lastmod = node.findtext(f"{_LOC}lastmod") or node.findtext("lastmod")
        if loc and lastmod:
            found.append((loc.strip(), lastmod.strip()))
    return found


def sitemap_lastmods(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> Lastmods:
    """Every <url><lastmod> of every archived sitemap, keyed by crawl run and URL."""
    rows = con.execute(
        "SELECT url, warc_file, warc_offset, run_id FROM captures WHERE record_type = 'response'"
        " AND status = 200 AND content_type ILIKE '%xml%' AND run_id IS NOT NULL"
        " ORDER BY captured_at"
    ).fetchall()
    lastmods: Lastmods = {}
    for url, warc_file, offset, run_id in rows:
        try:
            archived = read_http_response(warc_dir / warc_file, offset)
            body = archived.body
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            for loc, lastmod in _entries(body):
                lastmods[(run_id, normalize_url(loc))] = lastmod
        except (etree.XMLSyntaxError, OSError, ValueError) as exc:
            log.info("not a readable sitemap: %s (%r)", url, exc)
    return lastmods


def lastmod_moved(lastmods: Lastmods, before: str | None, after: str | None, urls) -> bool:
    """Did the sitemap's lastmod of any of `urls` change between two crawl runs?"""
    if not before or not after or before == after:
        return False
    for url in urls:
        old = lastmods.get((before, normalize_url(url)))
        new = lastmods.get((after, normalize_url(url)))
        if old and new and old != new:
            return True
    return False
