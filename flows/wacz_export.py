"""WACZ export (`newsarc export --format wacz`): the archive as one package for replay tools.

What goes in is read from one snapshot of the published lake; the bytes come from the WARC files
themselves (archive/warc/wacz.py streams them into the zip). The whole archive goes in as its
WARC files, byte for byte. A subset (one site, captures since a time) goes in as new WARC files
holding exactly the records it needs, each record's gzip member copied byte for byte:

- the selected records: the site's (warcinfo `isPartOf`) captures, or those since the time;
- a browser-rendered page's whole capture: the crawler writes a browser page as one run of
  records in one file, from its document response to the `urn:` resources tied to it
  (WARC-Concurrent-To), with the sub-resources and data requests in between, so any record of
  that run brings the run;
- each revisit's original: the response at its WARC-Refers-To-Target-URI with the same payload
  digest, the latest one not after its WARC-Refers-To-Date;
- the request records and fetch-error metadata concurrent to any of those;
- the warcinfo of every file a record comes from.

pages.jsonl has one entry per story page (its canonical and other-language URLs) captured in the
export, with both titles and the text of the story's latest version in both languages; the
Chinese text is split into words (rjieba) so a player's word index finds Chinese words.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import rjieba

from archive.catalog.lake import open_lake_reader
from archive.errors import NewsarcError
from archive.warc.cdxj import index_path
from archive.warc.wacz import (
    RecordSpan,
    WaczWriter,
    merged_index,
    relocated_lines,
    spooled,
    warc_index_lines,
)

PAGE_REASONS = ("canonical", "hreflang")  # a story's own pages, in each language
_FETCH = 1000

# The subset, as temp tables of record ids; each statement adds what the ones before need.
_SEEDS = """
CREATE TEMP TABLE wacz_chosen AS
SELECT record_id FROM captures
WHERE record_type <> 'warcinfo'
  AND ($site IS NULL OR profile = $site)
  AND ($since IS NULL OR captured_at >= $since)
"""
_BROWSER_RUNS = """
INSERT INTO wacz_chosen
WITH runs AS (
    SELECT d.warc_file, d.warc_offset AS first, max(r.warc_offset) AS last
    FROM captures r JOIN captures d ON d.record_id = r.concurrent_to AND d.warc_file = r.warc_file
    WHERE r.record_type = 'resource'
    GROUP BY d.warc_file, d.warc_offset
), needed AS (
    SELECT DISTINCT runs.* FROM runs
    JOIN captures s ON s.warc_file = runs.warc_file AND s.warc_offset BETWEEN first AND last
    JOIN wacz_chosen USING (record_id)
)
SELECT c.record_id FROM needed
JOIN captures c ON c.warc_file = needed.warc_file AND c.warc_offset BETWEEN first AND last
EXCEPT SELECT record_id FROM wacz_chosen
"""
_REVISIT_ORIGINALS = """
INSERT INTO wacz_chosen
SELECT DISTINCT arg_max(o.record_id, o.captured_at)
FROM captures v JOIN wacz_chosen USING (record_id)
JOIN captures o ON o.record_type = 'response' AND o.payload_digest = v.payload_digest
    AND (v.refers_to_uri IS NULL OR o.url = v.refers_to_uri)
    AND (v.refers_to_date IS NULL OR o.captured_at <= v.refers_to_date + INTERVAL 1 SECOND)
WHERE v.record_type = 'revisit'
GROUP BY v.record_id
EXCEPT SELECT record_id FROM wacz_chosen
"""
_CONCURRENT = """
INSERT INTO wacz_chosen
SELECT q.record_id FROM captures q JOIN wacz_chosen c ON q.concurrent_to = c.record_id
WHERE q.record_type IN ('request', 'metadata')
EXCEPT SELECT record_id FROM wacz_chosen
"""
_WARCINFO = """
INSERT INTO wacz_chosen
SELECT w.record_id FROM captures w
WHERE w.record_type = 'warcinfo'
  AND w.warc_file IN (SELECT warc_file FROM captures JOIN wacz_chosen USING (record_id))
EXCEPT SELECT record_id FROM wacz_chosen
"""
_WHOLE = "CREATE TEMP TABLE wacz_chosen AS SELECT record_id FROM captures"

_FILES = """
SELECT warc_file, count(*) FROM captures JOIN wacz_chosen USING (record_id)
GROUP BY warc_file ORDER BY warc_file
"""
_SPANS = """
SELECT warc_file, warc_offset, warc_length FROM captures JOIN wacz_chosen USING (record_id)
ORDER BY warc_file, warc_offset
"""
_PAGES = """
WITH page_captures AS (
    SELECT u.article_id, c.url, max(c.captured_at) AS ts
    FROM article_urls u
    JOIN captures c ON c.url = u.url AND c.record_type IN ('response', 'revisit') AND c.status = 200
    JOIN wacz_chosen USING (record_id)
    WHERE u.reason IN (SELECT unnest($reasons))
    GROUP BY u.article_id, c.url
)
SELECT p.article_id, p.url, p.ts, v.title_en, v.title_zh, v.body_en, v.body_zh
FROM page_captures p JOIN latest_versions v USING (article_id)
ORDER BY p.ts, p.url
"""


@dataclass(frozen=True)
class WaczExport:
    """What one export wrote: the file, and how much went in."""

    path: Path
    warc_files: int
    records: int
    warc_bytes: int
    pages: int
    seconds: float


def export_wacz(
    data: Path, out: Path, *, site: str | None = None, since: datetime | None = None
) -> WaczExport:
    """Write DATA's archive (or its captures of one site, or since a time) as a WACZ at OUT.

    Reads the lake at one snapshot and the WARC files; writes OUT only (via `OUT.partial`), so
    running it twice writes the same content again. Raises NewsarcError when nothing matches.
    """
    started = time.perf_counter()
    data = Path(data)
    whole = site is None and since is None
    con = open_lake_reader(data)
    try:
        con.execute("BEGIN")  # one snapshot for the records and the pages
        _choose_records(con, whole, site, since)
        files = con.execute(_FILES).fetchall()
        if not files:
            raise NewsarcError(_nothing_matches(site, since))
        missing = [name for name, _ in files if not (data / "warcs" / name).is_file()]
        if missing:
            raise NewsarcError(f"catalogued WARC files are gone from {data / 'warcs'}: {missing}")
        title = f"newsarc: {site or 'all sites'}" + (f" since {since.isoformat()}" if since else "")
        software = f"newsarc {version('newsarc')}"
        with (
            tempfile.TemporaryDirectory(prefix="newsarc-wacz-") as scratch,
            WaczWriter(out, software=software, title=title) as wacz,
        ):
            indexes, warc_bytes = [], 0
            spans = None if whole else _spans_by_file(con)
            for name, _ in files:
                source = data / "warcs" / name
                lines = warc_index_lines(source, index_path(source), Path(scratch))
                if spans is None:
                    packed = wacz.add_warc(source)
                else:
                    packed, moved = wacz.add_warc_records(source, next(spans), name)
                    # on disk now, so no file's offset map outlives its copy
                    lines = spooled(relocated_lines(lines, moved, name), Path(scratch))
                indexes.append(lines)
                warc_bytes += packed.size
            wacz.add_index(merged_index(indexes))
            wacz.add_pages(_counted(_pages(con), counter := [0]))
    finally:
        con.close()
    return WaczExport(
        path=Path(out),
        warc_files=len(files),
        records=sum(count for _, count in files),
        warc_bytes=warc_bytes,
        pages=counter[0],
        seconds=time.perf_counter() - started,
    )


def _choose_records(con, whole: bool, site: str | None, since: datetime | None) -> None:
    if whole:
        con.execute(_WHOLE)
        return
    con.execute(_SEEDS, {"site": site, "since": since})
    for step in (_BROWSER_RUNS, _REVISIT_ORIGINALS, _CONCURRENT, _WARCINFO):
        con.execute(step)


def _spans_by_file(con) -> Iterator[list[RecordSpan]]:
    """Each file's chosen records in file order (a few dozen bytes each, never their bytes),
    one file at a time, in `_FILES`' order."""
    result = con.execute(_SPANS)
    current, spans = None, []
    while rows := result.fetchmany(_FETCH):
        for name, offset, length in rows:
            if name != current and current is not None:
                yield spans
                spans = []
            current = name
            spans.append(RecordSpan(offset, length))
    if current is not None:
        yield spans


def _pages(con) -> Iterator[dict[str, Any]]:
    result = con.execute(_PAGES, {"reasons": list(PAGE_REASONS)})
    while rows := result.fetchmany(_FETCH):
        for article_id, url, ts, title_en, title_zh, body_en, body_zh in rows:
            yield page_entry(article_id, url, ts, title_en, title_zh, body_en, body_zh)


def page_entry(
    article_id: str,
    url: str,
    ts: datetime,
    title_en: str | None,
    title_zh: str | None,
    body_en: list[str] | None,
    body_zh: list[str] | None,
) -> dict[str, Any]:
    """One pages.jsonl entry: `title` shows both headlines, `text` holds both languages."""
    titles = [t for t in (title_en, title_zh) if t]
    text = [*(body_en or []), *(chinese_words(p) for p in body_zh or [])]
    return {
        "id": hashlib.sha1(url.encode("utf-8")).hexdigest()[:12],
        "article_id": article_id,
        "url": url,
        "ts": ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": " / ".join(titles) or url,
        "title_en": title_en,
        "title_zh": title_zh,
        "text": "\n".join(text),
    }


def chinese_words(paragraph: str) -> str:
    """The paragraph with its words separated by spaces: players index words split on spaces
    and punctuation, so an unsegmented Chinese sentence would be one single word to them."""
    return " ".join(w for w in rjieba.cut(paragraph) if not w.isspace())


def _counted(items: Iterator[dict[str, Any]], counter: list[int]) -> Iterator[dict[str, Any]]:
    for item in items:
        counter[0] += 1
        yield item


def _nothing_matches(site: str | None, since: datetime | None) -> str:
    what = [f"site {site!r}" if site else "", f"since {since.isoformat()}" if since else ""]
    chosen = " and ".join(w for w in what if w) or "the archive"
    return f"no captures match {chosen}: check the site (a profile's name) and the --since time"


def default_out(data: Path, site: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return Path(data) / "export" / f"{site or 'archive'}-{stamp}.wacz"


def export_wacz_command(
    data: Path, *, out: Path | None, site: str | None, since: datetime | None, console
) -> None:
    """Write a WACZ of DATA's archive (or of one site, or of captures since a time)."""
    done = export_wacz(data, out or default_out(data, site), site=site, since=since)
    console.print(
        f"{done.records} records from {done.warc_files} WARC files "
        f"({done.warc_bytes / 1e6:.1f} MB), {done.pages} story pages, in {done.seconds:.1f} s"
    )
    console.print(f"WACZ: {done.path.resolve()}")
