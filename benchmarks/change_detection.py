"""Change detection at archive scale: one derivation after a new crawl run, 10k to 1M stories.

    uv run python -m benchmarks.change_detection [--sizes 10000 100000 1000000]

Run by hand; it prints figures and writes benchmarks/results/change_detection.json. The issue's
target: 1M stored stories with 1% changed in under 60 s on this 2-core machine, with a cost that
follows what was newly captured rather than the size of the archive.

For each size N, a catalog is generated directly in DuckDB (SQL over range(N), no crawl): N
stories, each already derived once (captures, extractions, sightings, URL grouping, state,
articles, versions, changes and LSH band keys of a first crawl run, in a derived WARC file). Then
a second crawl run's captures and extractions are added in a new, underived file, and
`archive.stories.derive.derive_story_tables` - the step every ingest runs after extraction: new
sightings and signals, regrouping, change detection in SQL, version rows, diffs and the
near-duplicate update - is timed (wall and process CPU), in two scenarios:

- `due`: the run re-fetched the 10% of stories that were due and 1% of the archive changed;
- `full`: the run re-fetched every story (the worst case) and 1% changed.

The run is checked: exactly the changed stories get an `edited` change and a second version.
Extraction is not part of this figure (see benchmarks/ingest_throughput.py).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from archive.catalog.connection import open_catalog
from archive.stories.content import CONTENT_FIELDS, MERGED_FIELDS
from archive.stories.derive import derive_story_tables
from benchmarks.machine import machine

RESULTS = Path(__file__).resolve().parent / "results" / "change_detection.json"
TARGET_SECONDS = 60.0
CHANGED = 0.01
SCENARIOS = {"due": 0.10, "full": 1.0}
TITLE, BODY = MERGED_FIELDS.index("title_en"), MERGED_FIELDS.index("body_en")
FILLED = (1 << TITLE) | (1 << BODY)
FIELDS = len(CONTENT_FIELDS)


def _fps(body_fp: str) -> str:
    """SQL list of the fingerprints: title and body set, every other field empty."""
    items = ["''"] * FIELDS
    items[CONTENT_FIELDS.index("title_en")] = "'t' || i"
    items[CONTENT_FIELDS.index("body_en")] = body_fp
    return "[" + ", ".join(items) + "]"


def _sources(capture: str) -> str:
    items = ["NULL::VARCHAR"] * len(MERGED_FIELDS)
    items[TITLE] = items[BODY] = capture
    return "[" + ", ".join(items) + "]"


def build_archive(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """N stories seen and derived once (run r1, file f1), the way an ingest leaves them."""
    t1 = "TIMESTAMPTZ '2026-11-01 00:00:00+00'"
    con.execute(
        f"""
        CREATE TEMP TABLE base AS
        SELECT i, 'https://bench.invalid/s/' || i AS url, 'e1-' || i AS cid,
               {t1} + to_seconds(i % 86400) AS ts,
               article_id('https://bench.invalid/s/' || i) AS aid,
               {_fps("'b1-' || i")} AS fps
        FROM range({n}) r(i)
        """
    )
    con.execute(
        """
        INSERT INTO captures (record_id, record_type, url, captured_at, status, content_type,
                              payload_digest, warc_file, warc_offset, warc_length, run_id, profile)
        SELECT cid, 'response', url, ts, 200, 'text/html', 'sha1:P1' || i, 'f1.warc.gz', i * 100,
               100, 'r1', 'bench' FROM base
        """
    )
    con.execute(
        f"""
        INSERT INTO extractions BY NAME
        SELECT cid AS capture_id, url, 'bench' AS profile, ts AS captured_at, false AS rendered,
               'c1-' || i AS content_hash,
               json_object('title_en', 'Story ' || i, 'body_en', ['First body of story ' || i])
                   AS record,
               url AS node, true AS story_text, {FILLED} AS filled, fps AS fingerprints,
               json_object('alternates', json_object(), 'amp', NULL, 'canonical', url,
                           'content', 'c1-' || i, 'mobile', NULL)::VARCHAR AS signals,
               ['p1-' || i] AS en_paragraphs, []::VARCHAR[] AS zh_paragraphs
        FROM base
        """
    )
    con.execute(
        f"""
        INSERT INTO sightings
        SELECT cid, url, url, ts, 200, cid, 'r1', 'bench', true, {FILLED}, fps, NULL FROM base;
        INSERT INTO page_signals
        SELECT e.url, e.node, e.signals, e.content_hash, e.captured_at FROM extractions e;
        INSERT INTO story_urls SELECT url, url, url, 'canonical' FROM base;
        INSERT INTO site_paragraphs SELECT 'bench', 'p1-' || i, url FROM base;
        INSERT INTO story_state
        SELECT aid, true, 1, 'sha256:' || sha256(array_to_string(fps, '|')), fps,
               {_sources("cid")}, NULL, 'r1', 'r1', ts, 'live' FROM base;
        INSERT INTO story_pages SELECT aid, url, 1, cid, {FILLED}, fps, NULL FROM base;
        INSERT INTO articles SELECT aid, 'bench', url, 'Story ' || i, NULL, NULL, NULL, ts, ts,
                                    'live', 1 FROM base;
        INSERT INTO article_versions (article_id, version, captured_at, content_hash, title_en,
                                      body_en, capture_id)
        SELECT aid, 1, ts, 'sha256:' || sha256(array_to_string(fps, '|')), 'Story ' || i,
               ['First body of story ' || i], cid FROM base;
        INSERT INTO article_captures SELECT aid, cid, url, ts, 200 FROM base;
        INSERT INTO article_urls SELECT url, aid, 'canonical' FROM base;
        INSERT INTO changes (article_id, detected_at, kind, to_version, fields, capture_id)
        SELECT aid, ts, 'new', 1, [], cid FROM base;
        INSERT INTO story_bands
        SELECT b, hash(i, b), aid FROM base, range(14) t(b);
        INSERT INTO warc_files VALUES ('f1.warc.gz', 1, 'x', {n}, now());
        INSERT INTO derived_warcs VALUES ('f1.warc.gz', now(), 0, {n});
        """
    )


def add_second_run(con: duckdb.DuckDBPyConnection, n: int, fetched: float) -> tuple[int, int]:
    """Run r2 in file f2: a `fetched` share of the stories re-captured, 1% of all changed."""
    every = round(1 / fetched)
    changes = round(n * CHANGED)
    change_every = max(1, n // changes)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE again AS
        SELECT i, url, 'e2-' || i AS cid, ts + INTERVAL 1 DAY AS ts,
               i % {change_every} = 0 AS changed
        FROM base WHERE i % {every} = 0 OR i % {change_every} = 0
        """
    )
    con.execute(
        """
        INSERT INTO captures (record_id, record_type, url, captured_at, status, content_type,
                              payload_digest, warc_file, warc_offset, warc_length, run_id, profile)
        SELECT cid, 'response', url, ts, 200, 'text/html',
               'sha1:P' || CASE WHEN changed THEN 2 ELSE 1 END || i, 'f2.warc.gz', i * 100, 100,
               'r2', 'bench' FROM again
        """
    )
    con.execute(
        f"""
        INSERT INTO extractions BY NAME
        SELECT cid AS capture_id, url, 'bench' AS profile, ts AS captured_at, false AS rendered,
               CASE WHEN changed THEN 'c2-' ELSE 'c1-' END || i AS content_hash,
               json_object('title_en', 'Story ' || i, 'body_en',
                           CASE WHEN changed THEN ['First body of story ' || i, 'A correction.']
                                ELSE ['First body of story ' || i] END) AS record,
               url AS node, true AS story_text, {FILLED} AS filled,
               CASE WHEN changed THEN {_fps("'b2-' || i")} ELSE {_fps("'b1-' || i")} END
                   AS fingerprints,
               json_object('alternates', json_object(), 'amp', NULL, 'canonical', url,
                           'content', CASE WHEN changed THEN 'c2-' ELSE 'c1-' END || i,
                           'mobile', NULL)::VARCHAR AS signals,
               CASE WHEN changed THEN ['p1-' || i, 'p2-' || i] ELSE ['p1-' || i] END
                   AS en_paragraphs,
               []::VARCHAR[] AS zh_paragraphs
        FROM again
        """
    )
    con.execute(f"INSERT INTO warc_files VALUES ('f2.warc.gz', 1, 'y', {n}, now())")
    fetched_count, changed_count = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE changed) FROM again"
    ).fetchone()
    return fetched_count, changed_count


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(n: int, scenario: str, work: Path) -> dict:
    db = work / f"bench-{n}-{scenario}.duckdb"
    db.unlink(missing_ok=True)
    con = open_catalog(db)
    started = time.perf_counter()
    build_archive(con, n)
    fetched, changed = add_second_run(con, n, SCENARIOS[scenario])
    built = time.perf_counter() - started
    con.execute("CHECKPOINT")
    wall, cpu = time.perf_counter(), _cpu()
    counts = derive_story_tables(con, work)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    edited, versions = con.execute(
        "SELECT (SELECT count(*) FROM changes WHERE kind = 'edited'), "
        "(SELECT count(*) FROM article_versions)"
    ).fetchone()
    con.close()
    db.unlink()
    assert edited == changed, (edited, changed)
    assert versions == n + changed, (versions, n, changed)
    return {
        "stories": n, "scenario": scenario, "fetched": fetched, "changed": changed,
        "derive_seconds": round(wall, 2), "derive_cpu_seconds": round(cpu, 2),
        "microseconds_per_fetched_story": round(wall / fetched * 1e6, 1),
        "setup_seconds": round(built, 1), "derived": counts,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    args = parser.parse_args()
    print("change detection (benchmarks/change_detection.py)")
    results = []
    with tempfile.TemporaryDirectory(prefix="newsarc-change-bench-") as tmp:
        for n in args.sizes:
            for scenario in args.scenarios:
                print(f"  building {n:,} stories, scenario {scenario} ...", file=sys.stderr)
                result = measure(n, scenario, Path(tmp))
                results.append(result)
                print(
                    f"  {n:>9,} stories  {scenario:<4}  fetched {result['fetched']:>9,}  "
                    f"changed {result['changed']:>6,}  derive {result['derive_seconds']:>7.2f} s "
                    f"(CPU {result['derive_cpu_seconds']:.2f} s, "
                    f"{result['microseconds_per_fetched_story']:.0f} us/fetched story)",
                    flush=True,
                )
    biggest = max(results, key=lambda r: (r["stories"], r["scenario"] == "full"))
    summary = {
        "benchmark": "change_detection",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "uv run python -m benchmarks.change_detection",
        "machine": machine("duckdb", "pyarrow", "datasketch"),
        "target": f"1M stories, 1% changed, under {TARGET_SECONDS:.0f} s",
        "target_met": all(
            r["derive_seconds"] < TARGET_SECONDS for r in results if r["stories"] >= 1_000_000
        ),
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"largest: {biggest['stories']:,} stories ({biggest['scenario']}) in "
          f"{biggest['derive_seconds']} s; target met: {summary['target_met']}")  # fmt: skip
    print(f"figures written to {RESULTS}")


if __name__ == "__main__":
    main()
