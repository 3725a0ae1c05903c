"""Does reading slow the writer down? One ingest with four busy readers against the same ingest
with none, in one run, and how long a read takes while an ingest runs.

    uv run python -m benchmarks.concurrent_readers [--bulk 600] [--repeats 3] [--pause 0.2]
                                                   [--new-bulk]

The demo sites (aggregator, translated and a bulk site of `--bulk` stories) are archived once;
then a second round is crawled (the clock advanced, a few stories edited) but not ingested. That
data directory is copied afresh for every trial, so each trial ingests exactly the same WARCs
from exactly the same state, with the real `newsarc ingest` in its own process. Trials alternate
(none, readers, none, readers, ...) so drift on this shared host falls on both arms alike.

A reader is a process that opens the published lake once (`archive.catalog.lake.open_lake_reader`,
as an analyst's notebook holds its session), then runs one analyst query (counts per table and a
join of `article_versions` with `changes`; each query sees the latest snapshot) and waits
`--pause` seconds before the next. Opening costs ~0.8 CPU-s (two extensions loaded, the SQLite
catalog attached), which is why a reader does not reopen per query. With
`--pause 0` the four readers spin, and on two cores they then take CPU the ingest needs; the
ingest's own CPU time shows whether it ever waited for them. Figures are printed and written to
benchmarks/results/concurrent_readers.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import machine
from flows.demo_sites.demo import DemoSites
from flows.pipeline import archive_profiles, crawl_site

NEWSARC = str(Path(sys.executable).with_name("newsarc"))
RESULTS = Path(__file__).parent / "results" / "concurrent_readers.json"
READERS = 4
READ = """
SELECT (SELECT count(*) FROM captures), (SELECT count(*) FROM articles),
       (SELECT count(*) FROM article_versions v JOIN changes c
          ON c.article_id = v.article_id AND c.to_version = v.version)
"""
READER = """
import json, sys, time
from pathlib import Path
from archive.catalog.lake import open_lake_reader
data, out, stop, pause, sql = Path(sys.argv[1]), open(sys.argv[2], "w"), Path(sys.argv[3]), \\
    float(sys.argv[4]), sys.argv[5]
con = open_lake_reader(data)  # an analyst's session: opened once, each query a new snapshot
while not stop.exists():
    started = time.monotonic()
    try:
        con.execute(sql).fetchall()
        out.write(json.dumps({"at": started, "seconds": time.monotonic() - started}) + "\\n")
    except Exception as exc:
        out.write(json.dumps({"at": started, "error": repr(exc)}) + "\\n")
    out.flush()
    time.sleep(pause)
"""


def prepare(work: Path, bulk: int, new_bulk: bool = False) -> Path:
    """A data directory with one ingested round and a second round crawled, not ingested.

    With *new_bulk* the bulk site is left out of the first round, so the timed ingest extracts
    and derives all its stories (an ingest of new pages); otherwise it holds a recrawl, which
    is mostly revisits and the ingest's fixed costs."""
    data = work / "data"
    with DemoSites(bulk_stories=bulk, slow_seconds=0.0) as sites:
        profiles = sites.write_profiles(data / "profiles")
        first = [p for name, p in profiles.items() if not (new_bulk and name == "bulk")]
        run = archive_profiles(first, data, timeout=1800)
        assert not run.failures, run.failures
        sites.advance(hours=2)
        sites.edit_title("aggregator", "open-weights-coding-leader", "en", "An open model leads")
        for profile in profiles.values():
            crawl_site(profile, data, timeout=1800)
    return data


def timed_ingest(data: Path) -> dict:
    """`newsarc ingest` in its own process: wall seconds and the CPU seconds it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run([NEWSARC, "ingest", "--data", str(data)], capture_output=True, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr[-2000:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "started": started, "ended": started + wall}


def trial(prepared: Path, work: Path, readers: int, pause: float) -> dict:
    data = work / "trial"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(prepared, data, symlinks=True)
    stop = work / "stop"
    stop.unlink(missing_ok=True)
    outs = [work / f"reader-{i}.jsonl" for i in range(readers)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(data), str(o), str(stop), str(pause), READ]
        )  # fmt: skip
        for o in outs
    ]
    try:
        while not all(o.exists() and o.read_text().count("\n") >= 2 for o in outs):
            time.sleep(0.05)
        ingest = timed_ingest(data)
    finally:
        stop.touch()
        for proc in procs:
            proc.wait(timeout=60)
    reads = [json.loads(line) for o in outs for line in o.read_text().splitlines()]
    during = [r for r in reads if ingest["started"] <= r["at"] <= ingest["ended"]]
    return {
        "readers": readers,
        "ingest_wall": ingest["wall"],
        "ingest_cpu": ingest["cpu"],
        "reads_during": len(during),
        "errors": sum("error" in r for r in reads),
        "latencies": [r["seconds"] for r in during if "seconds" in r],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bulk", type=int, default=600, help="stories on the bulk site")
    parser.add_argument("--repeats", type=int, default=3, help="trials per arm")
    parser.add_argument("--pause", type=float, default=0.2, help="a reader's pause between reads")
    parser.add_argument(
        "--new-bulk",
        action="store_true",
        help="time an ingest of the bulk site's new pages instead of a recrawl",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="newsarc-readers-") as tmp:
        work = Path(tmp)
        print(f"preparing the archive (bulk site: {args.bulk} stories) ...", flush=True)
        prepared = prepare(work, args.bulk, args.new_bulk)
        trials = []
        for repeat in range(args.repeats):
            for readers in (0, READERS):
                result = trial(prepared, work, readers, args.pause)
                trials.append(result)
                print(f"  trial {repeat + 1} readers={readers}: ingest"
                      f" {result['ingest_wall']:.2f} s wall, {result['ingest_cpu']:.2f} s CPU;"
                      f" {result['reads_during']} reads during it, {result['errors']} errors",
                      flush=True)  # fmt: skip

    def arm(readers: int) -> list[dict]:
        return [t for t in trials if t["readers"] == readers]

    alone, busy = arm(0), arm(READERS)
    latencies = [s for t in busy for s in t["latencies"]]
    summary = {
        "bulk_stories": args.bulk,
        "timed_ingest": "the bulk site's new pages" if args.new_bulk else "a recrawl",
        "repeats": args.repeats,
        "reader_pause_seconds": args.pause,
        "ingest_wall_median_alone": statistics.median(t["ingest_wall"] for t in alone),
        "ingest_wall_median_with_readers": statistics.median(t["ingest_wall"] for t in busy),
        "ingest_cpu_median_alone": statistics.median(t["ingest_cpu"] for t in alone),
        "ingest_cpu_median_with_readers": statistics.median(t["ingest_cpu"] for t in busy),
        "reads_during_ingest": len(latencies),
        "reader_errors": sum(t["errors"] for t in busy),
        "read_latency_p50_ms": 1000 * percentile(latencies, 0.50),
        "read_latency_p95_ms": 1000 * percentile(latencies, 0.95),
        "machine": machine(),
        "trials": [{k: v for k, v in t.items() if k != "latencies"} for t in trials],
    }
    summary["ingest_wall_ratio"] = (
        summary["ingest_wall_median_with_readers"] / summary["ingest_wall_median_alone"]
    )
    summary["ingest_cpu_ratio"] = (
        summary["ingest_cpu_median_with_readers"] / summary["ingest_cpu_median_alone"]
    )
    print(json.dumps({k: v for k, v in summary.items() if k not in ("trials", "machine")},
                     indent=2))  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = RESULTS.with_name("concurrent_readers_new_bulk.json") if args.new_bulk else RESULTS
    results.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
