"""Crawl throughput, WARC recording on vs off, and browser rendering rate, on the bulk demo site.

    uv run python -m benchmarks.crawl_throughput [--stories 2000] [--browser-pages 60] [--repeats 3]

Run by hand; it prints figures and writes them to benchmarks/results/crawl_throughput.json.

What it does, in one run, against `DemoSites(bulk_stories=N)` started in this process:

1. crawls the bulk site (every listing page, every story, robots.txt, feed and sitemap) with
   `python -m crawlers.crawl --profile P --data D` in a child process, recording WARC;
2. the same crawl with `--no-record` (no archiving middlewares, no WARC), into a fresh data dir;
3. alternates the two modes (on, off, on, off, ...) `--repeats` times and reports the best and
   median pages/second per mode and their ratio (target: recording >= 0.8 x not recording);
4. peak RSS of the crawl process per mode (ru_maxrss from os.wait4 on that child: the largest of
   it and the descendants it reaped, never a sum, so for the browser run it is the largest single
   process, Python or Playwright/Chromium) and, for the recording mode, WARC bytes per page;
5. renders about `--browser-pages` story pages in Chromium (a copy of the bulk profile with
   `[patterns] browser = ['/s/']`, started from the listing pages with max_depth 1, no feed or
   sitemap) with recording on, reports rendered pages per minute (target: >= 30) and checks that
   each rendered DOM's document response is in the WARC (as a response or revisit record).

Pages = Scrapy's `response_received_count` from D/jobs/<profile>/stats.json. Wall-clock time is the
whole child process: interpreter start, imports, the crawl and closing the WARC. The demo server
runs in threads of this process, so it shares the machine's cores with the crawler; its CPU time
is reported too ("server CPU").
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.warc.reader import iter_capture_rows
from archive.warc.records import RENDERED_DOM_URN_PREFIX
from benchmarks.machine import machine as describe_machine
from benchmarks.machine import print_figures, run_measured
from flows.demo_sites.bulk import PER_LIST
from flows.demo_sites.demo import DemoSites

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "crawl_throughput.json"
RATIO_TARGET = 0.8
RENDERED_PER_MINUTE_TARGET = 30.0
CRAWL_TIMEOUT_SECONDS = 1800


# -- running one crawl -------------------------------------------------------------------------
@dataclass
class CrawlRun:
    mode: str  # "record", "no-record" or "browser"
    data_dir: str
    seconds: float
    pages: int
    peak_rss_mib: float
    cpu_seconds: float  # crawl process plus the descendants it reaped (Playwright, Chromium)
    server_cpu_seconds: float  # this process during the crawl: the demo server threads
    finish_reason: str | None
    warc_files: int = 0
    warc_bytes: int = 0
    stats: dict = field(default_factory=dict, repr=False)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def crawl_seconds(self) -> float:
        """Scrapy's own start-to-finish time: no interpreter start-up, imports or set-up."""
        return float(self.stats.get("elapsed_time_seconds") or self.seconds)

    @property
    def crawl_pages_per_second(self) -> float:
        return self.pages / self.crawl_seconds if self.crawl_seconds else 0.0


def run_crawl(profile: Path, data_dir: Path, *, mode: str, record: bool = True) -> CrawlRun:
    """Run `python -m crawlers.crawl` as a child and measure it (wall-clock, peak RSS, CPU)."""
    data_dir.mkdir(parents=True)
    command = [sys.executable, "-m", "crawlers.crawl", "--profile", str(profile)]
    command += ["--data", str(data_dir)] + ([] if record else ["--no-record"])
    output = data_dir / "crawl-output.txt"
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    child = run_measured(command, output, cwd=REPO, timeout=CRAWL_TIMEOUT_SECONDS)
    seconds, usage = child.wall_seconds, child.usage
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    if child.returncode != 0:
        tail = output.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{mode} crawl exited with {child.returncode} ({data_dir}):\n{tail}")
    profile_name = tomllib.loads(profile.read_text(encoding="utf-8"))["name"]
    stats = json.loads((data_dir / "jobs" / profile_name / "stats.json").read_text("utf-8"))
    warcs = sorted((data_dir / "warcs").glob("*.warc.gz"))
    return CrawlRun(
        mode=mode,
        data_dir=str(data_dir),
        seconds=seconds,
        pages=int(stats.get("response_received_count", 0)),
        peak_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        server_cpu_seconds=(self_after.ru_utime + self_after.ru_stime)
        - (self_before.ru_utime + self_before.ru_stime),
        finish_reason=stats.get("finish_reason"),
        warc_files=len(warcs),
        warc_bytes=sum(p.stat().st_size for p in warcs),
        stats=stats,
    )


# -- profiles ----------------------------------------------------------------------------------
def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML: {value!r}")


def dump_toml(data: dict) -> str:
    """TOML for a site profile: top-level keys, then one level of tables. Round-trip checked."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for table, values in data.items():
        if isinstance(values, dict):
            lines += ["", f"[{table}]"]
            lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in values.items()]
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != data:
        raise AssertionError("TOML writer did not round-trip the profile")
    return text


def browser_profile(bulk_profile: Path, base_url: str, stories: int, pages: int) -> Path:
    """The bulk profile rendering `pages` story pages in Chromium, found from the listings."""
    data = tomllib.loads(bulk_profile.read_text(encoding="utf-8"))
    pages = max(1, min(pages, stories))
    listings = math.ceil(pages / PER_LIST)
    data["name"] = "demo-bulk-browser"
    data["warc"]["prefix"] = "demo-bulk-browser"
    data["start_urls"] = [f"{base_url}/"] + [f"{base_url}/list/{n}" for n in range(2, listings + 1)]
    data["feeds"] = []
    data["sitemaps"] = []
    data["patterns"]["browser"] = ["/s/"]
    # The listings link stories 1..listings*PER_LIST; leave out the ones past `pages`.
    surplus = range(pages + 1, min(stories, listings * PER_LIST) + 1)
    data["patterns"]["exclude"] = [f"/s/({'|'.join(map(str, surplus))})$"] if surplus else []
    data["limits"]["max_depth"] = 1
    path = bulk_profile.with_name("demo-bulk-browser.toml")
    path.write_text(dump_toml(data), encoding="utf-8")
    return path


def warm_site(sites: DemoSites) -> None:
    """Render (and cache) every bulk page before timing, so the first crawl is not penalised."""
    app, base = sites.apps["bulk"], sites.base_url("bulk")
    for n in range(1, app.stories + 1):
        app.story(n, base)
    for page in range(1, app.lists + 1):
        app.listing(page)


# -- checking the browser crawl's WARCs --------------------------------------------------------
@dataclass
class BrowserCheck:
    rendered: int = 0
    responses: int = 0
    revisits: int = 0
    requests: int = 0
    fetch_errors: int = 0
    rendered_span_seconds: float | None = None
    unlinked: list[str] = field(default_factory=list)  # rendered pages without their document
    unpaired: list[str] = field(default_factory=list)  # responses without a request record
    not_archived_warnings: int = 0
    blocked_requests: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.rendered > 0
            and not self.unlinked
            and not self.unpaired
            and not self.not_archived_warnings
        )


def check_browser_warcs(run: CrawlRun) -> BrowserCheck:
    check = BrowserCheck()
    rows = [row for w in sorted(Path(run.data_dir, "warcs").glob("*.warc.gz")) for row in
            iter_capture_rows(w)]  # fmt: skip
    http = {r.record_id: r for r in rows if r.record_type in ("response", "revisit")}
    requested = {r.concurrent_to for r in rows if r.record_type == "request"}
    rendered = [
        r for r in rows if r.record_type == "resource" and r.url.startswith(RENDERED_DOM_URN_PREFIX)
    ]
    check.rendered = len(rendered)
    check.responses = sum(r.record_type == "response" for r in rows)
    check.revisits = sum(r.record_type == "revisit" for r in rows)
    check.requests = sum(r.record_type == "request" for r in rows)
    check.fetch_errors = sum(r.record_type == "metadata" for r in rows)
    for dom in rendered:
        page_url = dom.url[len(RENDERED_DOM_URN_PREFIX) :]
        document = http.get(dom.concurrent_to or "")
        if document is None or document.url != page_url or dom.refers_to_uri != page_url:
            check.unlinked.append(page_url)
    check.unpaired = [r.url for r in http.values() if r.record_id not in requested]
    dates = [r.captured_at for r in rendered if r.captured_at]
    if len(dates) > 1:
        check.rendered_span_seconds = (max(dates) - min(dates)).total_seconds()
    for log in Path(run.data_dir, "logs").glob("*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        check.not_archived_warnings += text.count("browser response not archived")
        check.blocked_requests += text.count("browser request blocked")
    return check


# -- machine and reporting ---------------------------------------------------------------------
def machine() -> dict:
    try:
        chromium = subprocess.run(
            [os.environ.get("NEWSARC_CHROMIUM", "/usr/bin/chromium"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "?"
    return {
        **describe_machine("scrapy", "twisted", "warcio", "playwright", "scrapy-playwright"),
        "chromium": chromium,
    }


def mode_summary(runs: list[CrawlRun]) -> dict:
    rates = [r.pages_per_second for r in runs]
    return {
        "runs": len(runs),
        "pages": [r.pages for r in runs],
        "seconds": [round(r.seconds, 2) for r in runs],
        "pages_per_second": [round(x, 1) for x in rates],
        "best_pages_per_second": round(max(rates), 1),
        "median_pages_per_second": round(statistics.median(rates), 1),
        "crawl_only_seconds": [round(r.crawl_seconds, 2) for r in runs],
        "crawl_only_median_pages_per_second": round(
            statistics.median(r.crawl_pages_per_second for r in runs), 1
        ),
        "peak_rss_mib": round(max(r.peak_rss_mib for r in runs), 1),
        "crawler_cpu_ms_per_page": round(
            statistics.median(1000 * r.cpu_seconds / r.pages for r in runs), 2
        ),
        "server_cpu_ms_per_page": round(
            statistics.median(1000 * r.server_cpu_seconds / r.pages for r in runs), 2
        ),
    }


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def print_table(figures: dict) -> None:
    m, rec, off = figures["machine"], figures["record"], figures["no_record"]
    b, p = figures["browser"], figures["parameters"]

    def yes(flag: bool) -> str:
        return "MET" if flag else "NOT MET"

    rows = [
        ("machine", f"{m['nproc']} CPU ({m['cpu']}), {m['memory']}, Linux {m['kernel']}"),
        (
            "software",
            f"Python {m['python']}, Scrapy {m['scrapy']}, Twisted {m['twisted']}, "
            f"warcio {m['warcio']}, Playwright {m['playwright']}",
        ),
        ("browser", m["chromium"]),
        (
            "fixture",
            f"bulk demo site: {p['stories']} stories + {p['listing_pages']} listings + robots, "
            f"feed, sitemap = {p['expected_pages']} responses/crawl; {p['repeats']} x (on, off)",
        ),
        ("", ""),
        ("", f"{'recording ON':>16} {'recording OFF':>16}"),
        ("pages per crawl", f"{_join(rec['pages']):>16} {_join(off['pages']):>16}"),
        ("seconds", f"{_join(rec['seconds']):>16} {_join(off['seconds']):>16}"),
        (
            "pages/s (runs)",
            f"{_join(rec['pages_per_second']):>16} {_join(off['pages_per_second']):>16}",
        ),
        ("pages/s best", f"{rec['best_pages_per_second']:>16} {off['best_pages_per_second']:>16}"),
        (
            "pages/s median",
            f"{rec['median_pages_per_second']:>16} {off['median_pages_per_second']:>16}",
        ),
        (
            "crawl-only pages/s med",
            f"{rec['crawl_only_median_pages_per_second']:>16} "
            f"{off['crawl_only_median_pages_per_second']:>16}",
        ),
        ("peak RSS MiB", f"{rec['peak_rss_mib']:>16} {off['peak_rss_mib']:>16}"),
        (
            "crawler CPU ms/page",
            f"{rec['crawler_cpu_ms_per_page']:>16} {off['crawler_cpu_ms_per_page']:>16}",
        ),
        (
            "server CPU ms/page",
            f"{rec['server_cpu_ms_per_page']:>16} {off['server_cpu_ms_per_page']:>16}",
        ),
        ("WARC bytes/page", f"{rec['warc_bytes_per_page']:>16} {'-':>16}"),
        ("", ""),
        (
            "load average",
            f"{_join(figures['load_average_before'])} before, "
            f"{_join(figures['load_average_after'])} after (other work on the machine skews times)",
        ),
        (
            "ratio on/off",
            f"median {figures['ratio_median']:.3f}, best {figures['ratio_best']:.3f} "
            f"(target >= {RATIO_TARGET}: {yes(figures['ratio_target_met'])}, on the median); "
            f"crawl-only median {figures['ratio_crawl_only_median']:.3f}",
        ),
        (
            "browser pages",
            f"{b['rendered_pages']} rendered in {b['seconds']} s (whole process), "
            f"peak RSS {b['peak_rss_mib']} MiB",
        ),
        (
            "rendered/minute",
            f"{b['rendered_per_minute']} (target >= {RENDERED_PER_MINUTE_TARGET:g}: "
            f"{yes(b['target_met'])}); {b['rendered_per_minute_steady']} between first "
            f"and last rendered DOM",
        ),
        (
            "browser archive",
            f"{b['responses']} responses + {b['revisits']} revisits, {b['requests']} requests, "
            f"{b['fetch_errors']} fetch errors; every rendered page's document archived: "
            f"{'yes' if b['all_documents_archived'] else 'NO'}",
        ),
    ]
    print_figures("crawl throughput (benchmarks/crawl_throughput.py)", rows)


def _join(values: list) -> str:
    return " ".join(str(v) for v in values)


# -- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.crawl_throughput",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stories", type=int, default=2000, help="bulk site size (default 2000)")
    parser.add_argument(
        "--browser-pages", type=int, default=60, help="story pages to render (default 60)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="(on, off) pairs (default 3)")
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help=f"JSON output (default {RESULTS})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    args = parser.parse_args(argv)
    if args.stories < 1 or args.repeats < 1 or args.browser_pages < 1:
        parser.error("--stories, --repeats and --browser-pages must be positive")

    tmp = Path(tempfile.mkdtemp(prefix="newsarc-bench-"))
    runs: list[CrawlRun] = []
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    with DemoSites(bulk_stories=args.stories) as sites:
        app = sites.apps["bulk"]
        base_url = sites.base_url("bulk")
        profile = sites.write_profiles(tmp / "profiles")["bulk"]
        warm_site(sites)
        expected = args.stories + app.lists + 3  # stories, listings, robots.txt, feed, sitemap
        for i in range(args.repeats):
            for record in (True, False):
                mode = "record" if record else "no-record"
                run = run_crawl(profile, tmp / f"{mode}-{i + 1}", mode=mode, record=record)
                runs.append(run)
                progress(
                    f"  {mode:<9} #{i + 1}: {run.pages} pages in {run.seconds:.1f} s = "
                    f"{run.pages_per_second:.1f} pages/s, peak RSS {run.peak_rss_mib:.0f} MiB, "
                    f"finish {run.finish_reason}"
                )
                if run.pages != expected or run.finish_reason != "finished":
                    progress(f"  WARNING: expected {expected} pages and finish_reason 'finished'")
                if record and run.stats.get("newsarc/warc/response", 0) != run.pages:
                    progress(f"  WARNING: WARC response records != pages: {run.stats}")
        bprofile = browser_profile(profile, base_url, args.stories, args.browser_pages)
        browser = run_crawl(bprofile, tmp / "browser", mode="browser")
        check = check_browser_warcs(browser)
        rendered_expected = min(args.browser_pages, args.stories)
        if check.rendered != rendered_expected or not check.ok:
            progress(
                f"  WARNING: expected {rendered_expected} rendered pages, all archived: {check}"
            )
        progress(
            f"  browser: {check.rendered} rendered pages in {browser.seconds:.1f} s, "
            f"{browser.pages} responses, peak RSS {browser.peak_rss_mib:.0f} MiB"
        )

    recorded = [r for r in runs if r.mode == "record"]
    unrecorded = [r for r in runs if r.mode == "no-record"]
    rec, off = mode_summary(recorded), mode_summary(unrecorded)
    rec["warc_bytes_per_page"] = round(
        statistics.median(r.warc_bytes / r.pages for r in recorded), 1
    )
    rec["warc_bytes"] = [r.warc_bytes for r in recorded]
    ratio_median = rec["median_pages_per_second"] / off["median_pages_per_second"]
    ratio_best = rec["best_pages_per_second"] / off["best_pages_per_second"]
    per_minute = 60 * check.rendered / browser.seconds
    steady = (
        60 * (check.rendered - 1) / check.rendered_span_seconds
        if check.rendered_span_seconds
        else None
    )
    figures = {
        "benchmark": "crawl_throughput",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(
            [
                "uv run python -m benchmarks.crawl_throughput",
                *(sys.argv[1:] if argv is None else argv),
            ]
        ),
        "machine": machine(),
        "parameters": {
            "stories": args.stories,
            "listing_pages": app.lists,
            "expected_pages": expected,
            "repeats": args.repeats,
            "browser_pages": args.browser_pages,
            "order": "alternating: record, no-record, record, no-record, ...",
        },
        "record": rec,
        "no_record": off,
        "ratio_median": round(ratio_median, 3),
        "ratio_best": round(ratio_best, 3),
        "ratio_crawl_only_median": round(
            rec["crawl_only_median_pages_per_second"] / off["crawl_only_median_pages_per_second"], 3
        ),
        "ratio_target": RATIO_TARGET,
        "ratio_target_met": ratio_median >= RATIO_TARGET,
        "browser": {
            "rendered_pages": check.rendered,
            "rendered_expected": rendered_expected,
            "responses_received": browser.pages,
            "seconds": round(browser.seconds, 2),
            "rendered_per_minute": round(per_minute, 1),
            "rendered_per_minute_steady": round(steady, 1) if steady else None,
            "target": RENDERED_PER_MINUTE_TARGET,
            "target_met": per_minute >= RENDERED_PER_MINUTE_TARGET,
            "peak_rss_mib": round(browser.peak_rss_mib, 1),
            "cpu_seconds": round(browser.cpu_seconds, 2),
            "warc_bytes": browser.warc_bytes,
            "responses": check.responses,
            "revisits": check.revisits,
            "requests": check.requests,
            "fetch_errors": check.fetch_errors,
            "all_documents_archived": check.ok,
            "documents_missing": check.unlinked,
            "responses_without_request": check.unpaired,
            "not_archived_warnings": check.not_archived_warnings,
            "blocked_requests": check.blocked_requests,
        },
        "runs": [
            {k: v for k, v in asdict(r).items() if k not in ("stats", "data_dir")}
            | {"pages_per_second": round(r.pages_per_second, 2)}
            for r in [*runs, browser]
        ],
        "total_seconds": round(time.perf_counter() - started, 1),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print_table(figures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {args.out}")
    if args.keep:
        print(f"data directories kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
