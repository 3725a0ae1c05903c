"""Start-up overhead of the Prefect flow layer over calling the pipeline directly.

    uv run python -m benchmarks.flow_overhead [--repeat 3]

The same work each time, in a fresh process and a fresh data directory: crawl the demo translated
site (18 pages, on loopback), ingest, derive the story tables. Four ways, alternating:

- `pipeline`: `flows.pipeline.archive_profiles`, no Prefect at all;
- `flow, temporary API (warm)`: `flows.prefect_flows.archive_all` with Prefect's temporary local
  API, its PREFECT_HOME (SQLite database) created by an untimed first run;
- `flow, temporary API (cold)`: the same with a fresh PREFECT_HOME, the very first run (once);
- `flow, running server`: against a `prefect server` already running on loopback.

Plus what importing each layer costs. The overhead is the flow's median wall time minus the
pipeline's. Results are printed and written to benchmarks/results/flow_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.machine import machine, run_measured

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "flow_overhead.json"


def child(mode: str, profile: Path, data: Path) -> None:
    """The measured process: one way of doing the same work."""
    if mode == "pipeline":
        from flows.pipeline import archive_profiles

        run = archive_profiles([profile], data, parallel=1)
        assert not run.failures, run.failures
    elif mode == "import-pipeline":
        import flows.pipeline  # noqa: F401
    elif mode == "import-flows":
        import flows.prefect_flows  # noqa: F401
    else:
        from flows.prefect_flows import archive_all

        archive_all([profile], data, max_parallel=1)


def measure(mode: str, profile: Path, work: Path, env: dict[str, str]) -> dict:
    data = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    command = [sys.executable, "-m", "benchmarks.flow_overhead", "--child", mode,
               str(profile), str(data)]  # fmt: skip
    previous = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        run = run_measured(command, data.with_suffix(".log"), cwd=ROOT, timeout=600)
    finally:
        os.environ.clear()
        os.environ.update(previous)
    if run.returncode != 0:
        raise SystemExit(f"{mode} failed; see {data.with_suffix('.log')}")
    cpu = run.usage.ru_utime + run.usage.ru_stime
    return {"wall_seconds": round(run.wall_seconds, 2), "cpu_seconds": round(cpu, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--child", nargs=3, metavar=("MODE", "PROFILE", "DATA"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        mode, profile, data = args.child
        child(mode, Path(profile), Path(data))
        return

    sys.path.insert(0, str(ROOT))
    from flows.demo_sites import DemoSites
    from flows.local_server import LocalPrefectServer

    quiet = {"PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
             "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}  # fmt: skip
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | quiet
    samples: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="newsarc-flow-overhead-") as tmp, DemoSites() as sites:
        work = Path(tmp)
        profile = sites.write_profiles(work / "profiles")["translated"]
        warm = base | {"PREFECT_HOME": str(work / "prefect-warm")}
        measure("flow", profile, work, warm)  # untimed: creates the warm PREFECT_HOME
        server_home = work / "prefect-server"
        server_env = {"PREFECT_HOME": str(server_home), "PREFECT_UI_ENABLED": "false",
                      "PREFECT_API_DATABASE_CONNECTION_URL":
                          f"sqlite+aiosqlite:///{server_home}/prefect.db"}  # fmt: skip
        with LocalPrefectServer(log=work / "server.log", env=base | server_env) as server:
            client = base | {"PREFECT_HOME": str(work / "client"), **server.client_env()}
            ways = {
                "pipeline": ("pipeline", base),
                "flow, temporary API (warm)": ("flow", warm),
                "flow, running server": ("flow", client),
                "import flows.pipeline": ("import-pipeline", base),
                "import flows.prefect_flows": ("import-flows", base),
            }
            for round_number in range(args.repeat):
                for name, (mode, env) in ways.items():
                    samples.setdefault(name, []).append(measure(mode, profile, work, env))
                    print(f"round {round_number + 1} {name}: {samples[name][-1]}", flush=True)
        cold = base | {"PREFECT_HOME": str(work / "prefect-cold")}
        samples["flow, temporary API (cold)"] = [measure("flow", profile, work, cold)]

    medians = {
        name: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
        for name, runs in samples.items()
    }
    direct = medians["pipeline"]["wall_seconds"]
    overhead = {
        name: round(m["wall_seconds"] - direct, 1)
        for name, m in medians.items()
        if name.startswith("flow")
    }
    result = {
        "benchmark": "flow_overhead",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine("prefect", "scrapy", "duckdb"),
        "work": "crawl + ingest of the demo translated site (18 pages), fresh process and data",
        "repeat": args.repeat,
        "median": medians,
        "overhead_seconds_vs_pipeline": overhead,
        "samples": samples,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'':32} {'wall s':>8} {'CPU s':>7} {'overhead s':>11}")
    for name, m in medians.items():
        extra = f"{overhead[name]:>11}" if name in overhead else ""
        print(f"{name:32} {m['wall_seconds']:>8} {m['cpu_seconds']:>7} {extra}")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
