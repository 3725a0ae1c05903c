"""Import throughput: `newsarc import` of the bulk demo archive's WARCs, MB/s, records/s, peak RSS.

    uv run python -m benchmarks.import_throughput [--stories 2000]

Run by hand; it prints figures and writes them to benchmarks/results/import_throughput.json.
The bulk demo site is crawled once (as benchmarks/ingest_throughput.py does; nothing is served
while anything is timed). Its WARCs are then imported into a fresh data directory, in a child
process each, in two forms:

- per-record gzip, as newsarc, wget, Heritrix and Browsertrix write them: checked member by
  member and copied byte for byte;
- whole-file gzip (each WARC gzipped as one member, made beforehand, untimed): read through
  and re-written one gzip member per record.

For each, the check-and-copy step alone (MB of source WARC and records per second, wall and CPU)
and the whole import with the ingest that follows (CDXJ, catalog, extraction, story tables,
publication), and the child's peak RSS (ru_maxrss: the whole process, imports included).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "import_throughput.json"


def child(sources: Path, data: Path) -> None:
    """Import every WARC under *sources* into *data*; print the figures as JSON."""
    from flows.importer import _Importer, _sources
    from flows.pipeline import ingest_data_dir

    files = _sources([sources])
    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    importer = _Importer(warcs, {})
    cpu0, wall0 = time.process_time(), time.perf_counter()
    results = [r for path in files for r in importer.import_source(path)]
    cpu1, wall1 = time.process_time(), time.perf_counter()
    ingest = ingest_data_dir(data)
    cpu2, wall2 = time.process_time(), time.perf_counter()
    print(
        json.dumps(
            {
                "files": len(results),
                "skipped": sum(r.status != "imported" for r in results),
                "records": sum(r.records or 0 for r in results),
                "source_mib": sum(p.stat().st_size for p in files) / 2**20,
                "copy_wall_s": wall1 - wall0,
                "copy_cpu_s": cpu1 - cpu0,
                "total_wall_s": wall2 - wall0,
                "total_cpu_s": cpu2 - cpu0,
                "records_catalogued": ingest.records_added,
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure(sources: Path, work: Path, form: str) -> dict:
    data = work / f"data-{form}"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_throughput", "--child", str(sources), str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    mb = figures["source_mib"] * 2**20 / 1e6
    figures["copy_mb_per_s"] = mb / figures["copy_wall_s"]
    figures["copy_records_per_s"] = figures["records"] / figures["copy_wall_s"]
    figures["total_mb_per_s"] = mb / figures["total_wall_s"]
    figures["total_records_per_s"] = figures["records"] / figures["total_wall_s"]
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from benchmarks.ingest_throughput import crawl
    from benchmarks.machine import machine
    from flows.demo_sites.demo import DemoSites

    root = Path(tempfile.mkdtemp(prefix="newsarc-import-bench-"))
    try:
        with DemoSites(bulk_stories=args.stories) as sites:
            profile = sites.write_profiles(root / "profiles")["bulk"]
            crawl_seconds = crawl(profile, root / "crawled")
        per_record = root / "crawled" / "warcs"
        whole = root / "whole-file"
        whole.mkdir()
        for warc in sorted(per_record.glob("*.warc.gz")):
            whole.joinpath(warc.name).write_bytes(gzip.compress(gzip.decompress(warc.read_bytes())))
        results = {
            "stories": args.stories,
            "crawl_seconds": round(crawl_seconds, 1),
            "per-record gzip": measure(per_record, root, "per-record"),
            "whole-file gzip": measure(whole, root, "whole-file"),
            "machine": machine("warcio", "fastwarc", "duckdb"),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(results, indent=2))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
