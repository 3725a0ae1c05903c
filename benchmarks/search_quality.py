"""Search quality on labelled queries: newsarc's search against DuckDB FTS as the anchor.

    uv run python benchmarks/search_quality.py

An archive is built from the golden pages (tests/fixtures/golden: the demo sites' stories, 62
Chinese news pages, 181 English ones), each written to WARC as captured and ingested as a crawl
would be. The queries of tests/fixtures/search/queries.json (each naming its relevant pages) run
against `archive.stories.search.search` and against DuckDB's FTS extension (PRAGMA
create_fts_index over the same fields of the same latest versions, its default tokeniser and
stemmer, no Chinese segmentation). MRR and recall@10 per query language, printed and written to
benchmarks/results/search_quality.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from datetime import datetime
from pathlib import Path

import duckdb

from archive.catalog.connection import open_catalog
from archive.stories.search import search
from archive.warc.writer import HttpExchange, WarcWriter
from flows.pipeline import ingest_data_dir

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.json"
RESULTS = Path(__file__).resolve().parent / "results" / "search_quality.json"
SETS = ("demo", "zh-news-gne", "article-extraction-benchmark")
FTS_EXTENSION = next(
    (ROOT / ".venv" / "lib").glob(
        "python3*/site-packages/duckdb_extension_fts/extensions/v*/fts.duckdb_extension"
    ),
    None,
)


def page_url(page_set: str, name: str, url: str) -> str:
    """The URL a page is archived under: its own, unless its set gives every page one URL."""
    return f"{url.rstrip('/')}/{name}" if page_set == "zh-news-gne" else url


def write_golden_warcs(warc_dir: Path, sets: tuple[str, ...] = SETS) -> dict[str, str]:
    """One WARC per golden set, each page a 200 response; returns page key -> archived URL."""
    warc_dir.mkdir(parents=True, exist_ok=True)
    urls = {}
    for page_set in sets:
        inputs = json.loads((GOLDEN / page_set / "inputs.json").read_text(encoding="utf-8"))
        writer = WarcWriter(warc_dir, f"golden-{page_set}", warcinfo_fields={"isPartOf": page_set})
        try:
            for name, given in sorted(inputs.items()):
                url = page_url(page_set, name, given["url"])
                headers = given["headers"] or {"content-type": "text/html"}
                body = gzip.decompress((GOLDEN / page_set / f"{name}.html.gz").read_bytes())
                writer.write_exchange(
                    HttpExchange(
                        url=url, method="GET", request_headers=[], status=200,
                        response_headers=list(headers.items()), body=body,
                        captured_at=datetime.fromisoformat(given["captured_at"]),
                    )
                )  # fmt: skip
                urls[f"{page_set}/{name}"] = url
        finally:
            writer.close()
    return urls


def build_golden_archive(data: Path, sets: tuple[str, ...] = SETS) -> dict[str, str]:
    """Archive the golden pages into `data`; returns page key -> the article_id it became."""
    urls = write_golden_warcs(data / "warcs", sets)
    ingest_data_dir(data)
    con = open_catalog(data / "archive.duckdb", read_only=True)
    try:
        story_of = dict(con.execute("SELECT url, article_id FROM article_urls").fetchall())
    finally:
        con.close()
    return {key: story_of[url] for key, url in urls.items() if url in story_of}


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """The anchor: DuckDB FTS over the same fields of each story's latest version, one
    document per story, its defaults (English stemmer, whitespace/punctuation tokens)."""
    con.execute(f"LOAD '{FTS_EXTENSION}'")
    con.execute(
        """
        CREATE OR REPLACE TABLE fts_docs AS
        SELECT article_id,
               concat_ws(' ', title_en, title_zh) AS title,
               concat_ws(' ', summary_en, summary_zh, array_to_string(tldr_en, ' '),
                         array_to_string(tldr_zh, ' ')) AS summary,
               concat_ws(' ', array_to_string(body_en, ' '), array_to_string(body_zh, ' '))
                   AS body
        FROM article_versions
        QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY version DESC) = 1
        """
    )
    con.execute("PRAGMA create_fts_index('fts_docs', 'article_id', 'title', 'summary', 'body')")


def fts_search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[str]:
    rows = con.execute(
        """
        SELECT article_id FROM (
            SELECT article_id, fts_main_fts_docs.match_bm25(article_id, ?) AS score FROM fts_docs
        ) WHERE score IS NOT NULL ORDER BY score DESC, article_id LIMIT ?
        """,
        [query, limit],
    ).fetchall()
    return [a for (a,) in rows]


def evaluate(ranked: dict[str, list[str]], queries: list[dict], stories: dict[str, str]) -> dict:
    """MRR and recall@10 per language of the query (en, zh, mixed) and over all."""
    per: dict[str, list[tuple[float, float]]] = {}
    for q in queries:
        relevant = {stories[key] for key in q["relevant"] if key in stories}
        got = ranked[q["query"]][:10]
        rank = next((i for i, a in enumerate(got, 1) if a in relevant), None)
        rr = 1 / rank if rank else 0.0
        recall = len(relevant & set(got)) / len(relevant) if relevant else 0.0
        for group in (q["lang"], "all"):
            per.setdefault(group, []).append((rr, recall))
    return {
        group: {
            "queries": len(values),
            "mrr": round(sum(v[0] for v in values) / len(values), 3),
            "recall@10": round(sum(v[1] for v in values) / len(values), 3),
        }
        for group, values in sorted(per.items())
    }


def missing_pages(queries: list[dict], stories: dict[str, str]) -> list[str]:
    return sorted({key for q in queries for key in q["relevant"] if key not in stories})


def run(data: Path) -> dict:
    started = time.perf_counter()
    stories = build_golden_archive(data)
    built = time.perf_counter() - started
    queries = load_queries()
    missing = missing_pages(queries, stories)
    if missing:
        raise SystemExit(f"relevant pages that became no story: {missing}")
    con = open_catalog(data / "archive.duckdb")
    try:
        ours = {q["query"]: [h.article_id for h in search(con, q["query"])] for q in queries}
        fts_index(con)
        anchor = {q["query"]: fts_search(con, q["query"]) for q in queries}
        count = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    return {
        "stories": count,
        "queries": len(queries),
        "archive_build_seconds": round(built, 1),
        "newsarc_search": evaluate(ours, queries, stories),
        "duckdb_fts": evaluate(anchor, queries, stories),
        "misses": [
            q["query"]
            for q in queries
            if not {stories[k] for k in q["relevant"]} & set(ours[q["query"]][:10])
        ],
    }


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="Build the archive here (default: a temp dir).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsarc-search-quality-") as tmp:
        result = run(args.data or Path(tmp) / "data")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{result['stories']} stories, {result['queries']} queries")
    print(f"{'system':<16}{'lang':<8}{'n':>4}{'MRR':>8}{'R@10':>8}")
    for system in ("newsarc_search", "duckdb_fts"):
        for lang, m in result[system].items():
            print(f"{system:<16}{lang:<8}{m['queries']:>4}{m['mrr']:>8.3f}{m['recall@10']:>8.3f}")
    print(f"missed by newsarc search: {result['misses']}")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
