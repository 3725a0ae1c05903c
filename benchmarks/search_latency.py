"""Search latency on a large synthetic archive, index build time, incremental update cost.

    uv run python benchmarks/search_latency.py [--stories 100000]

Bilingual stories are made from the golden pages' extracted text (English and Chinese
paragraphs of tests/fixtures/golden, drawn at random with a fixed seed) and written straight
into a catalog's `articles` and `article_versions`, as the derivation would leave them. Then:
the whole index is built (`index_stories` over every story, then `sort_postings`: what a
reindex does), queries run
(the labelled queries plus random one- to three-word queries from the same text) for p50/p95,
and stories get a new version and are re-indexed as the derivation step does, for the cost
per new version. The catalog is also published to the lake (`archive.catalog.lake.publish`) once
whole and after each batch of new versions (their stories logged as the derivation logs them,
so the publication compares only their rows), and the queries run again on the lake, as
`newsarc search` runs them. Written to benchmarks/results/search_latency.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from archive.catalog.connection import open_catalog
from archive.catalog.lake import open_lake_reader, publish
from archive.catalog.staging import insert_rows
from archive.stories.search import SEARCH_THREADS, index_stories, search, sort_postings, tokens
from benchmarks.machine import machine
from benchmarks.search_quality import GOLDEN, load_queries

RESULTS = Path(__file__).resolve().parent / "results" / "search_latency.json"
T0 = datetime(2026, 11, 20, tzinfo=UTC)
PARAGRAPHS_PER_LANGUAGE = 5


def corpus_paragraphs() -> tuple[list[str], list[str]]:
    """English and Chinese paragraphs of every golden page's expected record."""
    english, chinese = [], []
    for path in sorted(GOLDEN.glob("*/*.json")):
        if path.name == "inputs.json":
            continue
        record = json.loads(path.read_text(encoding="utf-8"))["record"]
        english += [p for p in record["body_en"] if len(p) > 40]
        chinese += [p for p in record["body_zh"] if len(p) > 20]
    return english, chinese


def synthetic_versions(count: int, english: list[str], chinese: list[str], seed: int = 16):
    """`count` bilingual stories' first versions, as Arrow batches of 5,000 rows."""
    rng = random.Random(seed)
    for start in range(0, count, 5000):
        rows = []
        for n in range(start, min(count, start + 5000)):
            en = rng.sample(english, PARAGRAPHS_PER_LANGUAGE)
            zh = rng.sample(chinese, PARAGRAPHS_PER_LANGUAGE)
            rows.append(
                {
                    "article_id": f"{n:016x}", "version": 1,
                    "captured_at": T0 + timedelta(seconds=n),
                    "content_hash": f"h{n}", "capture_id": f"c{n}",
                    "title_en": en[0][:80], "title_zh": zh[0][:30],
                    "summary_en": en[1][:200], "summary_zh": zh[1][:80],
                    "body_en": en[2:], "body_zh": zh[2:],
                }
            )  # fmt: skip
        yield rows


def fill_archive(con, count: int, english: list[str], chinese: list[str]) -> None:
    for rows in synthetic_versions(count, english, chinese):
        insert_rows(con, "article_versions", rows)
        articles = [
            {"article_id": r["article_id"], "site": f"site{int(r['article_id'], 16) % 7}",
             "canonical_url": f"http://127.0.0.1/story/{r['article_id']}",
             "title_en": r["title_en"], "title_zh": r["title_zh"],
             "first_seen_at": r["captured_at"], "last_seen_at": r["captured_at"],
             "status": "live", "version_count": 1}
            for r in rows
        ]  # fmt: skip
        insert_rows(con, "articles", articles)


def benchmark_queries(english: list[str], chinese: list[str], count: int = 200) -> list[str]:
    rng = random.Random(7)
    queries = [q["query"] for q in load_queries()]
    words = [t for p in rng.sample(english, 300) + rng.sample(chinese, 300) for t in tokens(p)]
    while len(queries) < count:
        queries.append(" ".join(rng.sample(words, rng.randint(1, 3))))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def new_versions(con, ids: list[str], english: list[str]) -> None:
    """A second version of these stories: one English paragraph replaced."""
    rng = random.Random(3)
    rows = con.execute(
        "SELECT * EXCLUDE (version) FROM article_versions WHERE article_id IN "
        "(SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).fetchall()
    columns = [d[0] for d in con.description]
    batch = []
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        record["version"] = 2
        record["body_en"] = [*record["body_en"][:-1], rng.choice(english)]
        batch.append({k: record[k] for k in (*columns, "version") if k in record})
    insert_rows(con, "article_versions", pa.Table.from_pylist(batch))


def run(data: Path, count: int) -> dict:
    english, chinese = corpus_paragraphs()
    con = open_catalog(data / "archive.duckdb")
    try:
        started = time.perf_counter()
        fill_archive(con, count, english, chinese)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        index_stories(con, [f"{n:016x}" for n in range(count)])
        indexed = time.perf_counter() - started
        sort_postings(con)
        con.execute("COMMIT")
        built = time.perf_counter() - started
        con.execute("CHECKPOINT")
        postings = con.execute("SELECT count(*) FROM search_postings").fetchone()[0]
        queries = benchmark_queries(english, chinese)
        latencies = query_latencies(con, queries)
        # what readers use: the lake, published from this file (its first, full publication)
        started = time.perf_counter()
        publish(con, data, "benchmark: first publication")
        published = time.perf_counter() - started
        lake_latencies = lake_search_latencies(data, queries)
        updates = {}
        picked = [f"{n:016x}" for n in random.Random(11).sample(range(count), 101)]
        for size, ids in ((1, picked[:1]), (100, picked[1:])):  # distinct stories: one edit each
            con.execute("BEGIN TRANSACTION")
            new_versions(con, ids, english)
            started = time.perf_counter()
            index_stories(con, ids)
            elapsed = time.perf_counter() - started
            # what the derivation logs for the next publication (store.log_touched_keys)
            con.execute("INSERT INTO lake_touched_stories SELECT unnest(?::VARCHAR[])", [ids])
            con.execute("COMMIT")
            updates[f"{size}_new_versions_ms"] = round(elapsed * 1000, 1)
            updates[f"per_version_ms_at_{size}"] = round(elapsed * 1000 / size, 2)
            started = time.perf_counter()
            publish(con, data, f"benchmark: {size} new versions")
            updates[f"publish_after_{size}_new_versions_s"] = round(
                time.perf_counter() - started, 1
            )
    finally:
        con.close()
    return {
        "machine": machine(),
        "stories": count,
        "documents": 2 * count,
        "postings": postings,
        "fill_seconds": round(filled, 1),
        "index_build_seconds": round(built, 1),
        "of_which_sort_seconds": round(built - indexed, 1),
        "index_build_stories_per_second": round(count / built),
        "queries": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
        "incremental": updates,
        "first_publication_seconds": round(published, 1),
        "lake_p50_ms": round(statistics.median(lake_latencies), 1),
        "lake_p95_ms": round(percentile(lake_latencies, 0.95), 1),
    }


def lake_search_latencies(data: Path, queries: list[str]) -> list[float]:
    """The same queries as `newsarc search` runs them: on the published lake, one session."""
    con = open_lake_reader(data, threads=SEARCH_THREADS)
    try:
        return query_latencies(con, queries)
    finally:
        con.close()


def query_latencies(con, queries: list[str]) -> list[float]:
    """Milliseconds per query, after twenty to warm the caches."""
    for query in queries[:20]:
        search(con, query)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        search(con, query)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument(
        "--keep", type=Path, help="build the archive in this (new) directory and keep it"
    )
    parser.add_argument(
        "--lake-only",
        type=Path,
        help="only time the lake queries again, on a directory kept with --keep",
    )
    args = parser.parse_args()
    if args.lake_only:
        english, chinese = corpus_paragraphs()
        latencies = lake_search_latencies(args.lake_only, benchmark_queries(english, chinese))
        print(f"lake p50 {statistics.median(latencies):.1f} ms, "
              f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms")  # fmt: skip
        return
    if args.keep:
        args.keep.mkdir(parents=True)
        result = run(args.keep, args.stories)
    else:
        with tempfile.TemporaryDirectory(prefix="newsarc-search-latency-") as tmp:
            result = run(Path(tmp), args.stories)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
