"""A long fuzzing run: the suite's fuzz tests with many more examples, on every corpus page.

    uv run python -m benchmarks.fuzz [--examples 2000] [--jobs 2]

The suite runs tests/test_fuzz_extract.py and tests/test_fuzz_warc.py with a small fixed,
derandomised budget (the same examples on every run, so CI reproduces them). This runs the same
property tests with ``NEWSARC_FUZZ_EXAMPLES`` examples each, drawn at random (a new part of the
input space every run), with all 243 corpus pages as seeds instead of every 12th. A failure
prints its minimal example and a ``@reproduce_failure`` line; the fix gets a plain regression
test with those bytes next to the property it broke. Times and the outcome are printed and
written to benchmarks/results/fuzz.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_TESTS = ["tests/test_fuzz_extract.py", "tests/test_fuzz_warc.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property test")
    parser.add_argument("--jobs", type=int, default=1, help="pytest-xdist workers")
    args = parser.parse_args()
    # -m hypothesis: the property tests only (hypothesis marks them); the regression tests
    # beside them do not change with the budget.
    command = [sys.executable, "-m", "pytest", *FUZZ_TESTS, "-m", "hypothesis", "-q",
               "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning", "--show-capture=no",
               "--hypothesis-show-statistics"]  # fmt: skip
    if args.jobs > 1:
        command += ["-n", str(args.jobs)]
    env = {**os.environ, "NEWSARC_FUZZ_EXAMPLES": str(args.examples)}
    started = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True)
    seconds = time.perf_counter() - started
    print(run.stdout, run.stderr, sep="\n")  # failures only: captured logs are not shown
    summary = {
        "examples_per_test": args.examples,
        "jobs": args.jobs,
        "seconds": round(seconds, 1),
        "exit_code": run.returncode,
        "outcome": run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "",
    }
    out = ROOT / "benchmarks/results/fuzz.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2), f"\nwritten to {out}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
