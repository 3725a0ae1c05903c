"""Ingest throughput: newsarc's whole ingest vs bare trafilatura.extract, pages per CPU second.

    uv run python -m benchmarks.ingest_throughput [--fixture both] [--stories 2000]
        [--corpus ../shared/corpus] [--repeats 2] [--profile] [--instructions]

Run by hand; it prints figures and writes them to benchmarks/results/ingest_throughput.json.
The issue's target: newsarc's ingest (WARC read + extract + dedup + DuckDB write) at least 0.8 of
bare trafilatura's rate on the same pages, in pages per second per core.

Two fixtures (`--fixture bulk`, `real` or `both`, the default), each measured and reported on
its own, then one summary line per fixture:

- bulk: the synthetic demo site, `--stories` small (6 KB) generated pages. `DemoSites` is
  started, its bulk site crawled with `python -m crawlers.crawl --profile P --data D` (as
  benchmarks/crawl_throughput.py does) and the sites stopped; nothing is served or crawled while
  anything is timed. Cheap pages, so the per-page overhead around extraction shows most here;
- real: the 243 real news pages of benchmarks/extract_throughput.py's corpus (181 English of
  article-extraction-benchmark, 62 Chinese of zh-news-gne), written straight into one WARC with
  `archive.warc.writer.WarcWriter` (no server, no crawl): a 200 `text/html` response per page
  under a unique URL (the ground-truth URL when unique, else `https://<corpus>.invalid/<id>`),
  with page patterns that make every page a story. The Content-Type declares no charset, since
  the corpus does not say: newsarc's extractor must sniff it, as it would for such a capture.

For each fixture:

1. newsarc: deletes D/archive.duckdb and every D/warcs/*.cdxj, then runs
   `flows.pipeline.ingest_data_dir(D)` in a child process: CDXJ indexing, the captures catalog,
   extraction of every story capture, dedup and the derived story tables. Pages = story captures
   extracted (`SELECT count(*) FROM extractions`);
2. trafilatura: every story response body (200, HTML, URL matching the story patterns) is read
   from the WARCs beforehand (`archive.warc.reader.read_http_response`, gunzipped when
   Content-Encoding says so; not timed), as bytes. Then a child process times
   `trafilatura.extract(html_bytes)` over all of them: trafilatura decodes the bytes itself
   (`trafilatura.utils.decode_file`), as newsarc's extractor decodes them inside its ingest,
   and as benchmarks/extract_throughput.py gives both sides the captured bytes. (Until
   2026-11-23 the pages were decoded for trafilatura beforehand, untimed; decoding is about
   1-2% of trafilatura's time on the real pages);
3. alternates the two (newsarc, trafilatura, newsarc, ...) `--repeats` times and keeps the best
   rate of each. The ratio is newsarc / trafilatura in pages per CPU second, best against best;
   the median of the paired ratios (each newsarc run over the trafilatura run right after it)
   is printed beside it, since on a shared host one lucky run can flatter either side.

`--instructions` also counts each side's instructions per page under valgrind's callgrind (see
benchmarks/instruction_count.py): CPU seconds on this shared host swing by a quarter between
runs, an instruction count does not. About 10 minutes for the real pages.

CPU seconds are the child's own user + system time (resource.getrusage(RUSAGE_SELF)) around the
measured work only, so interpreter start-up and imports are left out for both; DuckDB's worker
threads are part of the process, so their CPU counts. The whole-process CPU time (os.wait4 on the
child, start-up and imports included) is reported too. Inside the newsarc child the pipeline's
steps are timed by wrapping module functions (flows.pipeline, archive.stories.captures,
archive.stories.derive) without changing them; `--profile` (automatic when a fixture's ratio is
under the target) adds one extra, untimed ingest of that fixture under cProfile and prints the
top functions.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import pickle
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import instruction_count
from benchmarks.machine import machine as describe_machine
from benchmarks.machine import print_figures, run_measured

if TYPE_CHECKING:
    from benchmarks.extract_throughput import CorpusPage

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "ingest_throughput.json"
RATIO_TARGET = 0.8
CHILD_TIMEOUT_SECONDS = 1800
CALLGRIND_TIMEOUT_SECONDS = 7200
PROFILE_TOP = 25
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"  # as benchmarks/extract_throughput.py
REAL_CAPTURED_AT = datetime(2021, 1, 1, tzinfo=UTC)  # page i is captured i seconds later
BULK_TITLE = "bulk demo site (synthetic, 6 KB pages)"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the children ------------------------------------------------------------------------------
class StepTimer:
    """Wall and CPU time per wrapped function, summed over calls.

    `clock` is `_cpu_self` (process CPU: all threads, so DuckDB's workers count) for the
    pipeline's steps, `time.thread_time` (the calling thread only) for the per-page functions."""

    def __init__(self) -> None:
        self.steps: dict[str, dict] = {}

    def wrap(self, module, name: str, label: str, clock: Callable[[], float]) -> None:
        original = getattr(module, name, None)
        if original is None:  # renamed by someone: time what is there, do not fail
            return
        entry = self.steps.setdefault(
            label, {"calls": 0, "wall": 0.0, "cpu": 0.0, "clock": clock.__name__}
        )

        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), clock()
            try:
                return original(*args, **kwargs)
            finally:
                entry["calls"] += 1
                entry["wall"] += time.perf_counter() - wall
                entry["cpu"] += clock() - cpu

        setattr(module, name, timed)


def child_ingest(data_dir: Path, out: Path, profile_out: Path | None, setup_only: bool) -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    import duckdb

    import archive.stories.captures as story_captures
    import archive.stories.derive as story_tables
    import flows.pipeline as pipeline

    timer = StepTimer()
    process, thread = _cpu_self, time.thread_time
    for name in ("merge_index", "open_catalog", "ingest_warcs", "extract_pending",
                 "derive_story_tables"):  # fmt: skip
        timer.wrap(pipeline, name, name, process)
    # A new WARC's CDXJ lines are built from the catalog's listing of it, inside ingest_warcs.
    timer.wrap(pipeline, "index_warc", "ingest_warcs/index_warc (CDXJ)", process)
    timer.wrap(story_captures, "pending_story_captures", "extract_pending/select pending", process)
    timer.wrap(story_captures, "_load_page", "extract_pending/read WARC record", thread)
    timer.wrap(story_captures, "extract", "extract_pending/extract()", thread)
    timer.wrap(story_captures, "page_fingerprint", "extract_pending/fingerprints", thread)
    # Each derivation step under its own name: the steps run from derive.STEPS, so the timed
    # functions go there.
    steps = types.SimpleNamespace(**{step.name: step.fn for step in story_tables.STEPS})
    for step in story_tables.STEPS:
        timer.wrap(steps, step.name, f"derive_story_tables/{step.name}", process)
    story_tables.STEPS = tuple(
        replace(step, fn=getattr(steps, step.name)) for step in story_tables.STEPS
    )

    if setup_only:  # what the instruction count subtracts: imports and set-up, no work
        out.write_text(json.dumps({"setup_only": True}), encoding="utf-8")
        return
    profiler = None
    if profile_out is not None:
        import cProfile

        profiler = cProfile.Profile()
    cpu0, wall0 = _cpu_self(), time.perf_counter()
    if profiler:
        profiler.enable()
    pipeline.ingest_data_dir(data_dir)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, _cpu_self() - cpu0
    if profiler:
        profiler.dump_stats(str(profile_out))

    con = duckdb.connect(str(data_dir / "archive.duckdb"), read_only=True)
    try:

        def count(sql: str) -> int:
            return con.execute(sql).fetchone()[0]

        counts = {
            "extractions": count("SELECT count(*) FROM extractions"),
            "extraction_errors": count("SELECT count(*) FROM extractions WHERE error IS NOT NULL"),
            "captures": count("SELECT count(*) FROM captures"),
            "articles": count("SELECT count(*) FROM articles"),
            "article_versions": count("SELECT count(*) FROM article_versions"),
            "near_duplicates": count("SELECT count(*) FROM near_duplicates"),
        }
    finally:
        con.close()
    result = {"wall": wall, "cpu": cpu, "counts": counts, "steps": timer.steps}
    out.write_text(json.dumps(result), encoding="utf-8")


def child_trafilatura(pages_file: Path, out: Path, setup_only: bool) -> None:
    import trafilatura

    with pages_file.open("rb") as handle:
        pages: list[tuple[str, bytes]] = pickle.load(handle)
    if setup_only:
        pages = []
    cpu0, wall0 = _cpu_self(), time.perf_counter()
    extracted = 0
    for _url, html in pages:
        if trafilatura.extract(html):
            extracted += 1
    wall, cpu = time.perf_counter() - wall0, _cpu_self() - cpu0
    result = {"wall": wall, "cpu": cpu, "pages": len(pages), "extracted": extracted}
    out.write_text(json.dumps(result), encoding="utf-8")


# -- running a child ---------------------------------------------------------------------------
@dataclass
class Run:
    mode: str  # "newsarc" or "trafilatura"
    pages: int
    wall_seconds: float  # the measured work only
    cpu_seconds: float  # the measured work only (all threads of the child)
    process_wall_seconds: float  # whole child: start-up, imports, work, exit
    process_cpu_seconds: float
    peak_rss_mib: float
    detail: dict = field(default_factory=dict)

    @property
    def pages_per_cpu_second(self) -> float:
        return self.pages / self.cpu_seconds if self.cpu_seconds else 0.0

    @property
    def pages_per_wall_second(self) -> float:
        return self.pages / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def process_pages_per_cpu_second(self) -> float:
        return self.pages / self.process_cpu_seconds if self.process_cpu_seconds else 0.0


def run_child(args: list[str], log_file: Path) -> tuple[dict, float, float, float]:
    """Run this module as a child; return (its JSON result, wall, CPU, peak RSS MiB)."""
    result_file = log_file.with_suffix(".json")
    result_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.ingest_throughput", "--child", *args]
    command.append(str(result_file))
    child = run_measured(command, log_file, cwd=REPO, timeout=CHILD_TIMEOUT_SECONDS)
    wall, usage = child.wall_seconds, child.usage
    if child.returncode != 0 or not result_file.exists():
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"child {args[0]} exited with {child.returncode}:\n{tail}")
    result = json.loads(result_file.read_text(encoding="utf-8"))
    return result, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def reset_data_dir(data_dir: Path) -> None:
    """What a first ingest finds: WARCs only (no catalog, no CDXJ indexes)."""
    for path in data_dir.glob("archive.duckdb*"):
        path.unlink()
    for path in (data_dir / "warcs").glob("*.cdxj"):
        path.unlink()


def run_newsarc(data_dir: Path, work: Path, n: int, profile_out: Path | None = None) -> Run:
    reset_data_dir(data_dir)
    args = ["ingest", str(data_dir)] + (["--profile-out", str(profile_out)] if profile_out else [])
    result, wall, cpu, rss = run_child(args, work / f"newsarc-{n}.log")
    warnings = (work / f"newsarc-{n}.log").read_text("utf-8", errors="replace").count("WARNING")
    return Run(
        mode="newsarc",
        pages=result["counts"]["extractions"],
        wall_seconds=result["wall"],
        cpu_seconds=result["cpu"],
        process_wall_seconds=wall,
        process_cpu_seconds=cpu,
        peak_rss_mib=rss,
        detail={"counts": result["counts"], "steps": result["steps"], "log_warnings": warnings},
    )


def run_trafilatura(pages_file: Path, work: Path, n: int) -> Run:
    result, wall, cpu, rss = run_child(
        ["trafilatura", str(pages_file)], work / f"trafilatura-{n}.log"
    )
    return Run(
        mode="trafilatura",
        pages=result["pages"],
        wall_seconds=result["wall"],
        cpu_seconds=result["cpu"],
        process_wall_seconds=wall,
        process_cpu_seconds=cpu,
        peak_rss_mib=rss,
        detail={"extracted": result["extracted"]},
    )


# -- building the input ------------------------------------------------------------------------
def crawl(profile: Path, data_dir: Path) -> float:
    data_dir.mkdir(parents=True)
    command = [sys.executable, "-m", "crawlers.crawl", "--profile", str(profile)]
    command += ["--data", str(data_dir)]
    output = data_dir / "crawl-output.txt"
    started = time.perf_counter()
    with output.open("wb") as out:
        done = subprocess.run(
            command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, timeout=CHILD_TIMEOUT_SECONDS
        )
    if done.returncode != 0:
        tail = output.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"crawl exited with {done.returncode} ({data_dir}):\n{tail}")
    return time.perf_counter() - started


def _declared_charset(headers: dict[str, str]) -> str | None:
    """The Content-Type's charset under its codec name; None when absent or unknown."""
    match = re.search(r"charset=[\"']?([\w.:-]+)", headers.get("content-type", ""), re.I)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def _undo_content_coding(body: bytes, headers: dict[str, str]) -> bytes:
    """The body as the server meant it: content coding undone as newsarc's extractor undoes it,
    charset untouched."""
    from archive.warc.content_coding import remove_content_coding

    return remove_content_coding(body, headers.get("content-encoding"))


def story_pages(data_dir: Path, patterns: list[str]) -> tuple[list[tuple[str, bytes]], dict]:
    """Every story response in the WARCs as (URL, HTML bytes), in file order; and what was seen."""
    from archive.warc.reader import iter_capture_rows, read_http_response

    stories = [re.compile(p) for p in patterns]
    pages: list[tuple[str, bytes]] = []
    seen = {"records": 0, "responses": 0, "encodings": {}, "charsets": {}, "html_bytes": 0}
    for warc in sorted((data_dir / "warcs").glob("*.warc.gz")):
        for row in iter_capture_rows(warc):
            seen["records"] += 1
            if row.record_type != "response":
                continue
            seen["responses"] += 1
            if row.status != 200 or "html" not in (row.content_type or "").lower():
                continue
            if not any(p.search(row.url or "") for p in stories):
                continue
            archived = read_http_response(warc, row.warc_offset)
            headers = {name.lower(): value for name, value in archived.headers}
            coding = headers.get("content-encoding", "identity")
            seen["encodings"][coding] = seen["encodings"].get(coding, 0) + 1
            charset = _declared_charset(headers) or "undeclared"
            seen["charsets"][charset] = seen["charsets"].get(charset, 0) + 1
            html = _undo_content_coding(archived.body, headers)
            seen["html_bytes"] += len(html)
            pages.append((archived.url, html))
    return pages, seen


def profile_story_patterns(profile: Path) -> list[str]:
    """The crawl profile's story patterns: what makes a bulk page a story for trafilatura too."""
    return tomllib.loads(profile.read_text(encoding="utf-8"))["patterns"]["stories"]


def real_page_urls(pages: list[CorpusPage]) -> list[str]:
    """A unique URL per corpus page: the ground-truth URL when it is unique, else an invented one.

    The catalog and the dedup key captures by URL, so two pages under one URL would be read as two
    versions of one story rather than two stories."""
    given = Counter(page.url for page in pages if page.url)
    return [
        page.url
        if page.url and given[page.url] == 1
        else f"https://{page.corpus}.invalid/{page.page_id}"
        for page in pages
    ]


def write_real_warc(pages: list[CorpusPage], data_dir: Path) -> Path:
    """One WARC holding every corpus page as a plain 200 text/html response, as a crawl would.

    No charset in the Content-Type: the corpus does not say, so newsarc's extractor must sniff it
    (trafilatura sniffs it too). The page patterns make every page a story."""
    from archive.warc.writer import HttpExchange, WarcWriter

    fields = {
        "software": "newsarc benchmarks/ingest_throughput.py",
        "format": "WARC File Format 1.1",
        "isPartOf": "real-pages",
        "newsarc-page-patterns": json.dumps({"stories": [""], "listings": []}),
    }
    writer = WarcWriter(data_dir / "warcs", "real-pages", warcinfo_fields=fields)
    try:
        for i, (url, page) in enumerate(zip(real_page_urls(pages), pages, strict=True)):
            exchange = HttpExchange(
                url=url,
                method="GET",
                request_headers=[],
                status=200,
                response_headers=[("Content-Type", "text/html")],
                body=page.raw,
                captured_at=REAL_CAPTURED_AT + timedelta(seconds=i),
            )
            writer.write_exchange(exchange)
    finally:
        writer.close()
    return writer.closed_files[-1]


# -- machine and reporting ---------------------------------------------------------------------
def machine() -> dict:
    return describe_machine(
        "trafilatura", "lxml", "duckdb", "pyarrow", "warcio", "fastwarc", "cdxj-indexer"
    )


def _round(value: float, digits: int = 3) -> float:
    return round(value, digits)


def run_record(run: Run) -> dict:
    data = {k: v for k, v in asdict(run).items() if k != "detail"}
    data = {k: _round(v) if isinstance(v, float) else v for k, v in data.items()}
    data["pages_per_cpu_second"] = _round(run.pages_per_cpu_second, 1)
    data["pages_per_wall_second"] = _round(run.pages_per_wall_second, 1)
    data["process_pages_per_cpu_second"] = _round(run.process_pages_per_cpu_second, 1)
    if run.mode == "newsarc":
        data["counts"] = run.detail["counts"]
        data["log_warnings"] = run.detail["log_warnings"]
        data["steps"] = {
            label: {"calls": s["calls"], "wall_seconds": _round(s["wall"]),
                    "cpu_seconds": _round(s["cpu"]), "cpu_clock": s["clock"]}
            for label, s in run.detail["steps"].items()
        }  # fmt: skip
    else:
        data["extracted"] = run.detail["extracted"]
    return data


def step_cpu(run: Run, label: str) -> float:
    return run.detail["steps"].get(label, {}).get("cpu", 0.0)


def breakdown(run: Run) -> list[tuple[str, float, float, int]]:
    """(label, wall, CPU, calls) per timed step of one newsarc run, plus what is left over."""
    steps = run.detail["steps"]
    rows = []
    for label, s in steps.items():
        if s["calls"]:
            rows.append((label, s["wall"], s["cpu"], s["calls"]))
    top = [s for label, s in steps.items() if "/" not in label]
    top_cpu, top_wall = sum(s["cpu"] for s in top), sum(s["wall"] for s in top)
    rows.append(("(rest of ingest_data_dir)", run.wall_seconds - top_wall,
                 run.cpu_seconds - top_cpu, 1))  # fmt: skip
    inner = ("extract_pending/select pending", "extract_pending/read WARC record",
             "extract_pending/extract()", "extract_pending/fingerprints")  # fmt: skip
    if "extract_pending" in steps:
        rows.append(("extract_pending/(rest: JSON, Arrow, INSERT)",
                     steps["extract_pending"]["wall"] - sum(steps.get(k, {}).get("wall", 0.0)
                                                            for k in inner),
                     steps["extract_pending"]["cpu"] - sum(steps.get(k, {}).get("cpu", 0.0)
                                                           for k in inner), 1))  # fmt: skip
    return rows


def print_report(fixture: Fixture, figures: dict, m: dict, best_newsarc: Run) -> None:
    na, tr = figures["newsarc"], figures["trafilatura"]

    def runs(mode: str, key: str) -> str:
        return " ".join(str(r[key]) for r in figures["runs"] if r["mode"] == mode)

    rows = [
        ("machine", f"{m['nproc']} CPU ({m['cpu']}), {m['memory']}, Linux {m['kernel']}"),
        (
            "software",
            f"Python {m['python']}, trafilatura {m['trafilatura']}, lxml {m['lxml']}, "
            f"DuckDB {m['duckdb']}, pyarrow {m['pyarrow']}, fastwarc {m['fastwarc']}",
        ),
        ("fixture", fixture.describe),
        ("", ""),
        ("", f"{'newsarc ingest':>22} {'trafilatura.extract':>22}"),
        ("pages", f"{runs('newsarc', 'pages'):>22} {runs('trafilatura', 'pages'):>22}"),
        (
            "wall s (work)",
            f"{runs('newsarc', 'wall_seconds'):>22} {runs('trafilatura', 'wall_seconds'):>22}",
        ),
        (
            "CPU s (work)",
            f"{runs('newsarc', 'cpu_seconds'):>22} {runs('trafilatura', 'cpu_seconds'):>22}",
        ),
        (
            "pages/CPU-s (runs)",
            f"{runs('newsarc', 'pages_per_cpu_second'):>22} "
            f"{runs('trafilatura', 'pages_per_cpu_second'):>22}",
        ),
        (
            "pages/CPU-s best",
            f"{na['best_pages_per_cpu_second']:>22} {tr['best_pages_per_cpu_second']:>22}",
        ),
        (
            "pages/wall-s best",
            f"{na['best_pages_per_wall_second']:>22} {tr['best_pages_per_wall_second']:>22}",
        ),
        (
            "whole process CPU s",
            f"{runs('newsarc', 'process_cpu_seconds'):>22} "
            f"{runs('trafilatura', 'process_cpu_seconds'):>22}",
        ),
        ("peak RSS MiB", f"{na['peak_rss_mib']:>22} {tr['peak_rss_mib']:>22}"),
        ("", ""),
        (
            "newsarc CDXJ",
            f"{na['cdxj_cpu_seconds']} CPU s of the best run ({na['cdxj_share']:.1%}); without "
            f"it {na['best_pages_per_cpu_second_without_cdxj']} pages/CPU-s",
        ),
        (
            "newsarc output",
            f"{na['counts']['extractions']} extractions ({na['counts']['extraction_errors']} "
            f"errors), {na['counts']['articles']} articles, {na['counts']['captures']} "
            f"captures, {na['counts']['near_duplicates']} near-duplicate rows",
        ),
        (
            "load average",
            f"{' '.join(map(str, figures['load_average_before']))} before, "
            f"{' '.join(map(str, figures['load_average_after']))} after "
            "(other work on the machine skews wall times more than CPU times)",
        ),
        (
            "ratio newsarc/traf.",
            f"{figures['ratio']:.3f} pages/CPU-s, best vs best (target >= {RATIO_TARGET}: "
            f"{'MET' if figures['ratio_target_met'] else 'NOT MET'}); "
            f"{figures['ratio_without_cdxj']:.3f} without CDXJ; "
            f"{figures['ratio_whole_process']:.3f} on whole-process CPU",
        ),
        (
            "paired ratios",
            f"{', '.join(f'{r:.3f}' for r in figures['ratio_paired'])} (each newsarc run over "
            f"the trafilatura run after it); median {figures['ratio_paired_median']:.3f}",
        ),
    ]
    print_figures(f"ingest throughput (benchmarks/ingest_throughput.py): {fixture.title}", rows)
    print()
    print("  where newsarc's ingest time goes (best run; steps nest, `a/b` is inside `a`):")
    print(f"    {'step':<44} {'calls':>6} {'wall s':>8} {'CPU s':>8} {'of CPU':>7}")
    for label, wall, cpu, calls in breakdown(best_newsarc):
        share = cpu / best_newsarc.cpu_seconds if best_newsarc.cpu_seconds else 0.0
        print(f"    {label:<44} {calls:>6} {wall:>8.2f} {cpu:>8.2f} {share:>7.1%}")
    print(
        "    (pipeline steps: process CPU incl. DuckDB threads; per-page steps: "
        "the calling thread's CPU)"
    )


def print_profile(stats_file: Path, fixture: str) -> dict:
    """Print the top functions by cumulative and own time; return a few totals for the JSON."""
    for sort, title in (("cumulative", "cumulative"), ("tottime", "own time (tottime)")):
        print(f"\ncProfile of one extra newsarc ingest ({fixture}), top {PROFILE_TOP} by {title}:")
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        stats.strip_dirs().sort_stats(sort).print_stats(PROFILE_TOP)
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt
    by_name: dict[str, float] = {}
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        key = f"{Path(filename).name}:{func}"
        by_name[key] = max(by_name.get(key, 0.0), ct)
    wanted = {
        "ingest_data_dir": "pipeline.py:ingest_data_dir",
        "cdxj index_warc": "cdxj.py:index_warc",
        "catalog ingest_warcs": "catalog.py:ingest_warcs",
        "extract_pending": "story_captures.py:extract_pending",
        "extract()": "record.py:extract",
        "read_http_response": "warc_reader.py:read_http_response",
        "derive_story_tables": "story_tables.py:derive_story_tables",
        "trafilatura extract": "core.py:extract",
        "trafilatura bare_extraction": "core.py:bare_extraction",
    }
    found = {label: _round(by_name[key]) for label, key in wanted.items() if key in by_name}
    return {"total_seconds_under_profiler": _round(total), "cumulative_seconds": found}


def summary(runs: list[Run]) -> dict:
    best = max(runs, key=lambda r: r.pages_per_cpu_second)
    return {
        "runs": len(runs),
        "best_pages_per_cpu_second": _round(best.pages_per_cpu_second, 1),
        "best_pages_per_wall_second": _round(max(r.pages_per_wall_second for r in runs), 1),
        "best_process_pages_per_cpu_second": _round(
            max(r.process_pages_per_cpu_second for r in runs), 1
        ),
        "best_cpu_ms_per_page": _round(1000 * best.cpu_seconds / best.pages, 2)
        if best.pages
        else None,
        "peak_rss_mib": _round(max(r.peak_rss_mib for r in runs), 1),
    }


# -- the fixtures ----------------------------------------------------------------------------
@dataclass
class Fixture:
    """One input: a data directory of closed WARCs, and its story pages' bytes for trafilatura."""

    name: str  # "bulk" or "real"
    title: str
    data_dir: Path
    work: Path
    pages_file: Path  # pickled [(URL, HTML bytes)], what the trafilatura child reads
    pages: int
    describe: str  # the report's `fixture` line
    parameters: dict


def save_pages(pages: list[tuple[str, bytes]], work: Path) -> Path:
    pages_file = work / "pages.pickle"
    with pages_file.open("wb") as handle:
        pickle.dump(pages, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return pages_file


def fixture_dirs(root: Path) -> tuple[Path, Path]:
    work = root / "work"
    work.mkdir()
    return root / "data", work


def build_bulk(args: argparse.Namespace, root: Path) -> Fixture:
    """Crawl the bulk demo site once; it is stopped before anything is timed."""
    from flows.demo_sites.demo import DemoSites

    data_dir, work = fixture_dirs(root)
    with DemoSites(bulk_stories=args.stories) as sites:
        profile = sites.write_profiles(root / "profiles")["bulk"]
        crawl_seconds = crawl(profile, data_dir)
    progress(f"  crawled the bulk site in {crawl_seconds:.1f} s into {data_dir}")
    pages, seen = story_pages(data_dir, profile_story_patterns(profile))
    progress(f"  {len(pages)} story pages read from {seen['records']} WARC records")
    if len(pages) != args.stories:
        progress(f"  WARNING: expected {args.stories} story pages, found {len(pages)}")
    parameters = {
        "stories": args.stories,
        "repeats": args.repeats,
        "warc_records": seen["records"],
        "story_pages": len(pages),
        "story_html_mib": _round(seen["html_bytes"] / 2**20, 2),
        "content_encodings": seen["encodings"],
        "crawl_seconds": _round(crawl_seconds, 1),
    }
    describe = (
        f"bulk demo site, {args.stories} stories: {seen['records']} WARC records, "
        f"{len(pages)} story pages ({parameters['story_html_mib']} MiB HTML, "
        f"content-encoding {seen['encodings']}); {args.repeats} x (newsarc, trafilatura)"
    )
    return Fixture("bulk", BULK_TITLE, data_dir, work, save_pages(pages, work), len(pages),
                   describe, parameters)  # fmt: skip


def build_real(args: argparse.Namespace, root: Path) -> Fixture:
    """Write the corpus pages into one WARC, then read them back for trafilatura as for bulk."""
    from benchmarks.extract_throughput import load_corpus

    data_dir, work = fixture_dirs(root)
    started = time.perf_counter()
    corpus_pages = load_corpus(args.corpus)
    warc = write_real_warc(corpus_pages, data_dir)
    build_seconds = time.perf_counter() - started
    pages, seen = story_pages(data_dir, [""])
    progress(f"  {len(pages)} real pages written to {warc} and read back")
    if len(pages) != len(corpus_pages):
        progress(f"  WARNING: wrote {len(corpus_pages)} pages, found {len(pages)} story pages")
    per_corpus = Counter(page.corpus for page in corpus_pages)
    urls = real_page_urls(corpus_pages)
    invented = sum(url != page.url for url, page in zip(urls, corpus_pages, strict=True))
    parameters = {
        "corpus": str(args.corpus),
        "corpus_pages": dict(per_corpus),
        "urls": {"ground_truth": len(urls) - invented, "invented": invented},
        "repeats": args.repeats,
        "warc_records": seen["records"],
        "story_pages": len(pages),
        "corpus_mib": _round(sum(len(page.raw) for page in corpus_pages) / 2**20, 2),
        "story_html_mib": _round(seen["html_bytes"] / 2**20, 2),
        "content_encodings": seen["encodings"],
        "charsets": seen["charsets"],
        "trafilatura_input": "captured bytes; trafilatura.extract decodes them (timed)",
        "build_seconds": _round(build_seconds, 1),
    }
    english, chinese = per_corpus["article-extraction-benchmark"], per_corpus["zh-news-gne"]
    title = f"real pages ({len(corpus_pages)} news pages, {english} EN + {chinese} ZH)"
    describe = (
        f"{len(corpus_pages)} corpus pages in 1 WARC (text/html, no charset): "
        f"{seen['records']} WARC records, {len(pages)} story pages "
        f"({parameters['story_html_mib']} MiB HTML; {invented} invented URLs); "
        f"{args.repeats} x (newsarc, trafilatura)"
    )
    return Fixture("real", title, data_dir, work, save_pages(pages, work), len(pages), describe,
                   parameters)  # fmt: skip


BUILDERS: dict[str, Callable[[argparse.Namespace, Path], Fixture]] = {
    "bulk": build_bulk,
    "real": build_real,
}


# -- measuring a fixture -----------------------------------------------------------------------
def alternate_runs(fixture: Fixture, repeats: int) -> list[Run]:
    """newsarc, trafilatura, newsarc, ...: slow drifts of the machine hit both alike."""
    runs: list[Run] = []
    for i in range(repeats):
        for mode in ("newsarc", "trafilatura"):
            if mode == "newsarc":
                run = run_newsarc(fixture.data_dir, fixture.work, i + 1)
            else:
                run = run_trafilatura(fixture.pages_file, fixture.work, i + 1)
            runs.append(run)
            progress(
                f"  {fixture.name} {mode:<11} #{i + 1}: {run.pages} pages, "
                f"{run.wall_seconds:.2f} s wall, {run.cpu_seconds:.2f} s CPU = "
                f"{run.pages_per_cpu_second:.1f} pages/CPU-s "
                f"(process: {run.process_cpu_seconds:.2f} s CPU, "
                f"{run.peak_rss_mib:.0f} MiB peak RSS)"
            )
            if mode == "newsarc":
                counts = run.detail["counts"]
                if run.pages != fixture.pages or counts["extraction_errors"]:
                    progress(
                        f"  WARNING: newsarc extracted {run.pages} pages "
                        f"({counts['extraction_errors']} errors), the WARCs hold "
                        f"{fixture.pages} story responses"
                    )
    return runs


def fixture_figures(fixture: Fixture, runs: list[Run], load_before: list[float]) -> dict:
    """Best rate of each side, their ratios, and every run, for the report and the JSON."""
    newsarc_runs = [r for r in runs if r.mode == "newsarc"]
    traf_runs = [r for r in runs if r.mode == "trafilatura"]
    best_na = max(newsarc_runs, key=lambda r: r.pages_per_cpu_second)
    best_tr = max(traf_runs, key=lambda r: r.pages_per_cpu_second)
    na, tr = summary(newsarc_runs), summary(traf_runs)
    cdxj_cpu = step_cpu(best_na, "ingest_warcs/index_warc (CDXJ)") + step_cpu(
        best_na, "merge_index"
    )
    without_cdxj = best_na.pages / (best_na.cpu_seconds - cdxj_cpu)
    na |= {
        "counts": best_na.detail["counts"],
        "cdxj_cpu_seconds": _round(cdxj_cpu, 2),
        "cdxj_share": _round(cdxj_cpu / best_na.cpu_seconds, 4),
        "best_pages_per_cpu_second_without_cdxj": _round(without_cdxj, 1),
    }
    tr["extracted_non_empty"] = best_tr.detail["extracted"]
    ratio = best_na.pages_per_cpu_second / best_tr.pages_per_cpu_second
    # Each newsarc run and the trafilatura run right after it saw the same machine; their
    # ratio's median is the figure least moved by a noisy neighbour on a shared host.
    paired = [n.pages_per_cpu_second / t.pages_per_cpu_second
              for n, t in zip(newsarc_runs, traf_runs, strict=True)]  # fmt: skip
    return {
        "title": fixture.title,
        "parameters": fixture.parameters
        | {
            "order": "alternating: newsarc, trafilatura, newsarc, trafilatura, ...",
            "rate": "pages / CPU seconds of the measured work (user + system, all threads)",
        },
        "newsarc": na,
        "trafilatura": tr,
        "ratio": _round(ratio),
        "ratio_without_cdxj": _round(without_cdxj / best_tr.pages_per_cpu_second),
        "ratio_whole_process": _round(
            na["best_process_pages_per_cpu_second"] / tr["best_process_pages_per_cpu_second"]
        ),
        "ratio_paired": [_round(r) for r in paired],
        "ratio_paired_median": _round(statistics.median(paired)),
        "ratio_target": RATIO_TARGET,
        "ratio_target_met": ratio >= RATIO_TARGET,
        "ratio_paired_median_meets_target": statistics.median(paired) >= RATIO_TARGET,
        "runs": [run_record(r) for r in runs],
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def count_instructions(fixture: Fixture) -> dict:
    """Instructions per page of each side under callgrind: a child doing the work minus the same
    child only setting up, newsarc's and trafilatura's running side by side (two cores)."""
    totals: dict[str, int] = {}
    for setup_only in (False, True):
        reset_data_dir(fixture.data_dir)
        started = {}
        for mode, what, source in (("newsarc", "ingest", fixture.data_dir),
                                   ("trafilatura", "trafilatura", fixture.pages_file)):  # fmt: skip
            label = f"{mode}-{'setup' if setup_only else 'work'}"
            command = [sys.executable, "-m", "benchmarks.ingest_throughput", "--child", what,
                       str(source), *(["--setup-only"] if setup_only else []),
                       str(fixture.work / f"instructions-{label}.json")]  # fmt: skip
            log = fixture.work / f"instructions-{label}.log"
            started[label] = (instruction_count.start(command, log, cwd=REPO), log)
        for label, (child, log) in started.items():
            totals[label] = instruction_count.finish(child, log, CALLGRIND_TIMEOUT_SECONDS)
            progress(f"  {fixture.name} {label}: {totals[label]:,} instructions (callgrind)")
    per_page = {
        mode: (totals[f"{mode}-work"] - totals[f"{mode}-setup"]) / fixture.pages
        for mode in ("newsarc", "trafilatura")
    }
    return {
        "instructions_per_page": {mode: round(value) for mode, value in per_page.items()},
        "ratio": _round(per_page["trafilatura"] / per_page["newsarc"]),
        "totals": totals,
        "method": "callgrind Ir, PYTHONHASHSEED=0; work child minus set-up-only child, per page",
    }


def measure(fixture: Fixture, args: argparse.Namespace, machine_info: dict) -> dict:
    """The runs on one fixture, its report, and a cProfile when asked or under the target."""
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs = alternate_runs(fixture, args.repeats)
    figures = fixture_figures(fixture, runs, load_before)
    best_na = max((r for r in runs if r.mode == "newsarc"), key=lambda r: r.pages_per_cpu_second)
    print()
    print_report(fixture, figures, machine_info, best_na)
    if args.profile or not figures["ratio_target_met"]:
        progress("  profiling one more newsarc ingest under cProfile (not part of the figures)")
        stats_file = fixture.work / "ingest.pstats"
        run_newsarc(fixture.data_dir, fixture.work, 0, profile_out=stats_file)
        figures["profile"] = print_profile(stats_file, fixture.name)
    if args.instructions:
        counted = figures["instructions"] = count_instructions(fixture)
        per_page = counted["instructions_per_page"]
        verdict = "MET" if counted["ratio"] >= RATIO_TARGET else "NOT MET"
        print(
            f"  instructions per page (callgrind): newsarc {per_page['newsarc'] / 1e6:.1f} M, "
            f"trafilatura {per_page['trafilatura'] / 1e6:.1f} M; ratio {counted['ratio']:.3f} "
            f"(target >= {RATIO_TARGET}: {verdict})"
        )
    figures["measure_seconds"] = _round(time.perf_counter() - started, 1)
    return figures


# -- main --------------------------------------------------------------------------------------
def child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ingest_throughput --child")
    parser.add_argument("what", choices=["ingest", "trafilatura"])
    parser.add_argument("source", type=Path)
    parser.add_argument("--profile-out", type=Path)
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.what == "ingest":
        child_ingest(args.source, args.out, args.profile_out, args.setup_only)
    else:
        child_trafilatura(args.source, args.out, args.setup_only)
    return 0


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fixture",
        choices=["bulk", "real", "both"],
        default="both",
        help="which input to measure (default both)",
    )
    parser.add_argument(
        "--stories", type=int, default=2000, help="bulk site size (default 2000; bulk only)"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"the real pages' corpus (default {DEFAULT_CORPUS})",
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="(newsarc, trafilatura) pairs (default 2)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one extra ingest with cProfile even when the target is met",
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help=f"JSON output (default {RESULTS})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each side's instructions per page under valgrind's callgrind "
        "(deterministic; about 10 min for the real pages, far longer for bulk)",
    )


def print_summary(results: dict[str, dict]) -> None:
    """One line per fixture: the ratio and whether it meets the target."""
    print()
    for name, figures in results.items():
        verdict = "MET" if figures["ratio_target_met"] else "NOT MET"
        print(
            f"{name:<4}  ratio newsarc/trafilatura {figures['ratio']:.3f} pages/CPU-s best vs "
            f"best (target >= {RATIO_TARGET}: {verdict}), paired median "
            f"{figures['ratio_paired_median']:.3f}"
            + (
                f", instructions {figures['instructions']['ratio']:.3f}"
                if "instructions" in figures
                else ""
            )  # fmt: skip
            + f"  {figures['title']}"
        )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest_throughput",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_options(parser)
    args = parser.parse_args(argv)
    if args.stories < 1 or args.repeats < 1:
        parser.error("--stories and --repeats must be positive")
    names = ["bulk", "real"] if args.fixture == "both" else [args.fixture]
    if "real" in names and not (args.corpus / "zh-news-gne").is_dir():
        parser.error(f"no corpus in {args.corpus} (--corpus)")

    tmp = Path(tempfile.mkdtemp(prefix="newsarc-ingest-bench-"))
    started = time.perf_counter()
    machine_info = machine()
    results: dict[str, dict] = {}
    try:
        for name in names:
            root = tmp / name
            root.mkdir()
            fixture = BUILDERS[name](args, root)
            results[name] = measure(fixture, args, machine_info)
        print_summary(results)
        figures = {
            "benchmark": "ingest_throughput",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["uv run python -m benchmarks.ingest_throughput", *argv]),
            "machine": machine_info,
            "fixtures": results,
            "total_seconds": _round(time.perf_counter() - started, 1),
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
        args.out.write_text(text, encoding="utf-8")
        print(f"figures written to {args.out}")
    finally:
        if args.keep:
            print(f"data directories kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
