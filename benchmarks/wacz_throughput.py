"""WACZ export throughput: `newsarc export --format wacz` against `wacz create` on the same WARCs.

    uv run python -m benchmarks.wacz_throughput [--stories 2000] [--repeats 2] [--import]

Run by hand; it prints figures and writes them to benchmarks/results/wacz_throughput.json.
The bulk demo site is crawled once and ingested (as benchmarks/ingest_throughput.py crawls it;
nothing is served while anything is timed). Then, alternated `--repeats` times, each in a child
process of its own whose wall time, CPU time (user + system) and peak RSS (ru_maxrss from
wait4: the whole process, interpreter and imports included) are measured:

- newsarc whole: `newsarc export --format wacz` of the whole archive (WARCs copied as they are);
- newsarc subset: `--site` of the bulk site, so the same records go through the subset path
  (the selection SQL, then record by record copies at the catalog's offsets);
- wacz create: py-wacz's `wacz create -o OUT WARC...` (its own venv, `$NEWSARC_WACZ`), which
  re-indexes the WARCs itself and writes no pages with text.

MB/s is MB of WARC in the package per wall second; records/s counts the WARC records packed.
Interpreter start-up and imports are inside the wall time (each tool is run as a user runs it);
newsarc's own figure without them (`export_s_without_startup`, what the CLI prints) is beside it.
`--import` also times `flows.importer.import_paths` taking the exported WACZ into a fresh data
directory (copy, check and the ingest that follows): `measure_import` is where import
throughput joins this comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "wacz_throughput.json"
CHILD_TIMEOUT_SECONDS = 3600


def timed_child(command: list[str], env: dict[str, str] | None = None) -> dict:
    """Run *command*; its wall and CPU seconds (wait4) and peak RSS in MiB.

    The peak is the child's VmHWM, read from /proc every 20 ms while it runs: wait4's ru_maxrss
    would report this (large) parent's RSS instead, since Linux carries the high-water mark
    across fork and exec."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak_kib = 0
        while True:
            peak_kib = max(peak_kib, _vm_hwm_kib(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{command[:3]} exited with {proc.returncode}:\n{output[-3000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": peak_kib / 1024,
        "output": output,
    }


def _vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def wacz_tool() -> Path:
    tool = Path(os.environ.get("NEWSARC_WACZ") or REPO / ".venv-wacz" / "bin") / "wacz"
    if not os.access(tool, os.X_OK):
        raise SystemExit(f"{tool} missing: run ./run setup")
    return tool


def packed(wacz: Path) -> dict:
    """WARC bytes and records inside a WACZ (records counted from its index lines)."""
    with zipfile.ZipFile(wacz) as zf:
        warc_bytes = sum(i.file_size for i in zf.infolist() if i.filename.startswith("archive/"))
        index = [n for n in zf.namelist() if n.startswith("indexes/")]
        return {"wacz_mib": wacz.stat().st_size / 2**20, "warc_mib": warc_bytes / 2**20,
                "index_files": index}  # fmt: skip


def run_newsarc(data: Path, out: Path, *extra: str) -> dict:
    command = [sys.executable, "-m", "flows.cli", "export", "--format", "wacz"]
    return timed_child([*command, "--data", str(data), "--out", str(out), *extra])


def run_wacz_create(warcs: list[Path], out: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return timed_child([str(wacz_tool()), "create", "-o", str(out), *map(str, warcs)], env=env)


def measure_import(wacz: Path, work: Path) -> dict:
    """`flows.importer.import_paths` of the exported WACZ into a fresh data directory."""
    data = work / "imported"
    shutil.rmtree(data, ignore_errors=True)
    code = (
        "import sys; from pathlib import Path; from flows.importer import import_paths; "
        "import_paths(Path(sys.argv[1]), [Path(sys.argv[2])])"
    )
    return timed_child([sys.executable, "-c", code, str(data), str(wacz)])


def figures(run: dict, warc_mib: float, records: int) -> dict:
    reported = re.search(r"in (\d+\.\d+) s\n", run["output"])  # newsarc's own timing
    return {
        "wall_s": round(run["wall_s"], 2),
        **({"export_s_without_startup": float(reported.group(1))} if reported else {}),
        "cpu_s": round(run["cpu_s"], 2),
        "mb_per_s": round(warc_mib * 2**20 / 1e6 / run["wall_s"], 1),
        "records_per_s": round(records / run["wall_s"]),
        "peak_rss_mib": round(run["peak_rss_mib"], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--import", dest="with_import", action="store_true")
    args = parser.parse_args()

    from benchmarks.ingest_throughput import crawl
    from benchmarks.machine import machine
    from flows.demo_sites.demo import DemoSites
    from flows.pipeline import closed_warcs, ingest_data_dir

    root = Path(tempfile.mkdtemp(prefix="newsarc-wacz-bench-"))
    try:
        data = root / "data"
        with DemoSites(bulk_stories=args.stories) as sites:
            profile = sites.write_profiles(root / "profiles")["bulk"]
            crawl_seconds = crawl(profile, data)
        ingest_data_dir(data)
        warcs = closed_warcs(data)
        site = _site_of(data)
        from archive.catalog.lake import open_lake_reader

        con = open_lake_reader(data)
        records = con.execute("SELECT count(*) FROM captures").fetchone()[0]
        con.close()
        warc_mib = sum(p.stat().st_size for p in warcs) / 2**20
        print(f"bulk archive: {len(warcs)} WARCs, {warc_mib:.1f} MiB, {records} records")

        runs: dict[str, list[dict]] = {"newsarc whole": [], "newsarc subset": [], "wacz create": []}
        for repeat in range(args.repeats):
            out = root / f"out-{repeat}"
            out.mkdir()
            runs["newsarc whole"].append(run_newsarc(data, out / "whole.wacz"))
            runs["newsarc subset"].append(run_newsarc(data, out / "site.wacz", "--site", site))
            runs["wacz create"].append(run_wacz_create(warcs, out / "created.wacz"))
            for name, done in runs.items():
                print(f"  {repeat + 1}: {name}: {done[-1]['wall_s']:.2f} s wall")
        last = root / f"out-{args.repeats - 1}"
        results = {
            "stories": args.stories,
            "crawl_seconds": round(crawl_seconds, 1),
            "warc_files": len(warcs),
            "warc_mib": round(warc_mib, 2),
            "records": records,
            "repeats": args.repeats,
            "best of repeats": {
                name: figures(min(done, key=lambda r: r["wall_s"]), warc_mib, records)
                for name, done in runs.items()
            },
            "packages": {
                "newsarc whole": packed(last / "whole.wacz"),
                "newsarc subset": packed(last / "site.wacz"),
                "wacz create": packed(last / "created.wacz"),
            },
            "machine": machine("duckdb", "warcio"),
        }
        if args.with_import:
            done = measure_import(last / "whole.wacz", root)
            results["import of the whole export"] = figures(done, warc_mib, records)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(results, indent=2))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {RESULTS}")
    return 0


def _site_of(data: Path) -> str:
    from archive.catalog.lake import open_lake_reader

    con = open_lake_reader(data)
    try:
        return con.execute("SELECT any_value(profile) FROM captures").fetchone()[0]
    finally:
        con.close()


if __name__ == "__main__":
    raise SystemExit(main())
