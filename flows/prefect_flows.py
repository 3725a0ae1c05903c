"""Prefect flows over the plain pipeline functions (STYLE.md section 5: thin flows).

The work lives in `crawlers.run.run_crawl` and `flows.pipeline`; this module only adds what
Prefect is for: retries on the crawl, a fan-out with a concurrency limit, a final state that says
which site failed, and a Markdown artifact per run that a person can read.

Without a ``PREFECT_API_URL`` Prefect starts a temporary local API on the first flow call in a
process, so nothing has to be installed or running to use these flows.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from archive.recovery import verify_warc
from crawlers.profile import load_profile
from crawlers.run import CrawlFailed, CrawlResult, run_crawl
from flows.pipeline import closed_warcs, export_tables, ingest_data_dir, reindex

# DuckDB allows one writer per file, and one process cannot hold the same file both read-write and
# read-only. Every catalog open in this module goes through this lock, so ingest tasks never run
# concurrently and summaries never read while an ingest writes. (One process only: flows that
# share a data directory across machines or processes must not ingest at the same time.)
_CATALOG_LOCK = threading.Lock()

_MAX_LISTED_CHANGES = 30


class SiteUnreachable(CrawlFailed):
    """The crawl process finished but not one response came back: the site is down."""


class SitesFailed(RuntimeError):
    """Raised by `archive_all` after ingesting the good sites; names each failed site and why."""


# -- tasks ------------------------------------------------------------------------------------


@task(retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def crawl_task(profile_path: Path, data_dir: Path, timeout: float = 3600) -> CrawlResult:
    """Crawl one site profile (a `crawlers.crawl` subprocess with a timeout).

    Reads the profile TOML, the site, and the job state in ``data_dir/jobs/<profile>/``; writes
    new WARC files to ``data_dir/warcs/`` and the job's state and ``stats.json``. Running it twice
    changes nothing already archived: a killed run is resumed from its job directory, and a
    finished one is followed by an incremental crawl (conditional GETs, revisit records), never by
    duplicate captures. Fails (and is retried) when the process dies, times out, or receives no
    response at all.
    """
    logger = get_run_logger()
    logger.info("crawling %s into %s", profile_path, data_dir)
    result = run_crawl(profile_path, data_dir, timeout=timeout)
    failures = _failures_by_kind(result)
    if result.pages == 0 and failures:
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(failures.items()))
        raise SiteUnreachable(f"crawl of {result.profile} received no response ({kinds})")
    logger.info(
        "%s: %d responses, %d WARC files", result.profile, result.pages, len(result.warc_files)
    )
    return result


@task(cache_policy=NO_CACHE)
def ingest_task(data_dir: Path) -> dict[str, int]:
    """Bring every closed WARC in ``data_dir/warcs/`` into the catalog.

    Reads the WARC files and ``data_dir/archive.duckdb``; writes CDXJ indexes next to the WARCs,
    the merged ``index.cdxj``, and the catalog tables. Running it twice changes nothing: a WARC
    whose sha256 is already in ``warc_files`` is skipped, each capture is extracted once, and the
    derived story tables are rebuilt as a function of what the WARCs hold. Holds the module's
    catalog lock, because DuckDB has one writer per file.
    """
    logger = get_run_logger()
    with _CATALOG_LOCK:
        report = ingest_data_dir(data_dir)
    logger.info(
        "ingested %d new WARC files: %d records, %d fetch errors",
        report.files,
        report.records_added,
        report.errors_added,
    )
    return {
        "files": report.files,
        "records_added": report.records_added,
        "errors_added": report.errors_added,
    }


@task(cache_policy=NO_CACHE)
def verify_task(data_dir: Path) -> dict:
    """Check what the archive holds: every closed WARC intact, every catalogued file present.

    Reads every ``data_dir/warcs/*.warc.gz`` (each gzip member checked with zlib, see
    `archive.recovery.verify_warc`) and ``captures.warc_file`` from the catalog, read-only. Writes
    nothing, so running it twice changes nothing. Returns a summary; ``ok`` is False when a file is
    damaged or a catalogued WARC file is missing.
    """
    logger = get_run_logger()
    warc_dir = data_dir / "warcs"
    files = closed_warcs(data_dir)
    damaged: dict[str, str] = {}
    records = 0
    checked = 0
    for path in files:
        report = verify_warc(path)
        records += report.records
        checked += report.bytes_checked
        if not report.ok:
            damaged[path.name] = f"{report.problem} at byte {report.problem_offset}"
    catalogued = _catalog_rows(data_dir, "SELECT DISTINCT warc_file FROM captures ORDER BY 1")
    missing = [name for (name,) in catalogued if not (warc_dir / name).exists()]
    still_open = sorted(p.name for p in warc_dir.glob("*.open")) if warc_dir.exists() else []
    summary = {
        "ok": not damaged and not missing,
        "files": len(files),
        "records": records,
        "bytes": checked,
        "damaged": damaged,
        "missing": missing,
        "open": still_open,
    }
    for name, problem in damaged.items():
        logger.error("damaged WARC %s: %s", name, problem)
    for name in missing:
        logger.error("catalogued WARC file missing: %s", name)
    logger.info("verified %d WARC files, %d records, %d bytes", len(files), records, checked)
    return summary


# -- flows ------------------------------------------------------------------------------------


@flow(name="crawl-site", log_prints=False)
def crawl_site(profile: Path, data: Path = Path("data"), timeout: float = 3600) -> dict:
    """Crawl one site, ingest, verify, publish a Markdown summary; returns the summary."""
    started = time.monotonic()
    crawl = crawl_task(profile, data, timeout)
    ingest = ingest_task(data)
    verify = verify_task(data)
    summary = _summarise(data, [crawl], {}, ingest, verify, time.monotonic() - started)
    _publish(summary, key=f"crawl-{_artifact_slug(crawl.profile)}")
    if not verify["ok"]:
        raise RuntimeError(_verify_problem(verify))
    return summary


@flow(name="archive-all")
def archive_all(
    profiles: list[Path],
    data: Path = Path("data"),
    max_parallel: int = 2,
    timeout: float = 3600,
    crawl_retries: int | None = None,
) -> dict:
    """Crawl every profile (at most `max_parallel` at once), then ingest once and verify.

    One failing site never stops the others: their captures are ingested and summarised, and only
    then does the run fail, with a message naming each failed profile and why.
    `crawl_retries` overrides the crawl task's retries (0 for a quick failure).
    """
    logger = get_run_logger()
    started = time.monotonic()
    crawl = crawl_task if crawl_retries is None else crawl_task.with_options(retries=crawl_retries)
    crawls: list[CrawlResult] = []
    failures: dict[str, str] = {}
    with ThreadPoolTaskRunner(max_workers=max(1, max_parallel)) as runner:
        futures = {
            path: runner.submit(crawl, {"profile_path": path, "data_dir": data, "timeout": timeout})
            for path in profiles
        }
        for path, future in futures.items():
            future.wait()
            outcome = future.state.result(raise_on_failure=False)
            if isinstance(outcome, BaseException):
                failures[_site_label(path)] = f"{type(outcome).__name__}: {outcome}"
                logger.error("site %s failed: %s", path, outcome)
            else:
                crawls.append(outcome)
    ingest = ingest_task(data)
    verify = verify_task(data)
    summary = _summarise(data, crawls, failures, ingest, verify, time.monotonic() - started)
    _publish(summary, key="archive-all")
    problems = [f"{site}: {why}" for site, why in failures.items()]
    if not verify["ok"]:
        problems.append(_verify_problem(verify))
    if problems:
        raise SitesFailed(
            f"{len(failures)} of {len(profiles)} sites failed; the others were archived.\n"
            + "\n".join(problems)
        )
    return summary


@flow(name="reindex")
def reindex_flow(data: Path = Path("data")) -> dict[str, int]:
    """Rebuild the whole catalog from the WARCs alone (`flows.pipeline.reindex`)."""
    with _CATALOG_LOCK:
        report = reindex(data)
    get_run_logger().info("reindexed %d WARC files, %d records", report.files, report.records_added)
    return {"files": report.files, "records_added": report.records_added}


@flow(name="export")
def export_flow(data: Path = Path("data"), out: Path = Path("export")) -> list[str]:
    """Write each public table to Parquet in `out` (`flows.pipeline.export_tables`)."""
    with _CATALOG_LOCK:
        written = export_tables(data, out)
    get_run_logger().info("exported %d tables to %s", len(written), out)
    return [str(p) for p in written]


# -- summaries --------------------------------------------------------------------------------


def _failures_by_kind(result: CrawlResult) -> dict[str, int]:
    prefix = "newsarc/failures/"
    return {k[len(prefix) :]: int(v) for k, v in result.stats.items() if k.startswith(prefix)}


def _site_label(path: Path) -> str:
    """`name (path)` when the profile can be read, else the path alone."""
    try:
        return f"{load_profile(path).name} ({path})"
    except Exception:  # noqa: BLE001 - an unreadable profile is itself the failure reported
        return str(path)


def _artifact_slug(name: str) -> str:
    """Artifact keys allow only lowercase letters, digits and dashes."""
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "site"


def _catalog_rows(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    db = data_dir / "archive.duckdb"
    if not db.exists():
        return []
    with _CATALOG_LOCK:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def _verify_problem(verify: dict) -> str:
    parts = [f"{name}: {why}" for name, why in verify["damaged"].items()]
    parts += [f"{name}: catalogued but missing" for name in verify["missing"]]
    return "archive verification failed: " + "; ".join(parts)


def _summarise(
    data: Path,
    crawls: list[CrawlResult],
    failures: dict[str, str],
    ingest: dict[str, int],
    verify: dict,
    duration: float,
) -> dict:
    """What this run did, from the crawl stats and (read-only) the catalog after ingest."""
    run_ids = [c.stats["newsarc/run_id"] for c in crawls if c.stats.get("newsarc/run_id")]
    changes: dict[str, int] = {}
    listed: list[dict] = []
    if run_ids:
        marks = ", ".join("?" for _ in run_ids)
        this_run = f"""
            FROM changes ch JOIN captures c ON c.record_id = ch.capture_id
            LEFT JOIN articles a ON a.article_id = ch.article_id
            WHERE c.run_id IN ({marks})"""  # noqa: S608 - only placeholders are interpolated
        changes = dict(
            _catalog_rows(data, f"SELECT ch.kind, count(*) {this_run} GROUP BY 1", run_ids)
        )
        rows = _catalog_rows(
            data,
            "SELECT ch.kind, a.canonical_url, coalesce(a.title_en, a.title_zh, a.canonical_url)"
            f" {this_run} ORDER BY ch.detected_at, a.canonical_url LIMIT {_MAX_LISTED_CHANGES}",
            run_ids,
        )
        listed = [{"kind": k, "url": u, "title": t} for k, u, t in rows]
    errors: dict[str, int] = {}
    warc_files: list[Path] = []
    for crawl in crawls:
        for kind, n in _failures_by_kind(crawl).items():
            errors[kind] = errors.get(kind, 0) + n
        warc_files += [p for p in crawl.warc_files if p.exists()]

    def total(key: str) -> int:
        return sum(int(c.stats.get(key, 0)) for c in crawls)

    return {
        "sites": [c.profile for c in crawls],
        "failed_sites": failures,
        "pages_fetched": sum(c.pages for c in crawls),
        "responses": total("newsarc/warc/response"),
        "revisits_identical": total("newsarc/warc/revisit_identical"),
        "not_modified_304": total("newsarc/warc/revisit_not_modified"),
        "errors_by_kind": errors,
        "warc_files": len(warc_files),
        "warc_bytes": sum(p.stat().st_size for p in warc_files),
        "new_stories": changes.get("new", 0),
        "changes_by_kind": changes,
        "changes": listed,
        "ingest": ingest,
        "verify": {k: verify[k] for k in ("ok", "files", "records", "damaged", "missing")},
        "duration_seconds": round(duration, 1),
    }


def _markdown(summary: dict) -> str:
    def table(title: str, counts: dict) -> list[str]:
        if not counts:
            return [f"**{title}:** none", ""]
        rows = [f"| {k} | {v} |" for k, v in sorted(counts.items())]
        return [f"**{title}**", "", "| kind | count |", "|---|---:|", *rows, ""]

    lines = ["# newsarc run summary", ""]
    if summary["failed_sites"]:
        lines += ["## Failed sites", ""]
        lines += [
            f"- **{site}**: {why.splitlines()[0]}" for site, why in summary["failed_sites"].items()
        ]
        lines.append("")
    lines += [
        "| | |",
        "|---|---:|",
        f"| sites crawled | {', '.join(summary['sites']) or 'none'} |",
        f"| pages fetched | {summary['pages_fetched']} |",
        f"| responses | {summary['responses']} |",
        f"| revisits (identical payload) | {summary['revisits_identical']} |",
        f"| 304 not modified | {summary['not_modified_304']} |",
        f"| WARC files written | {summary['warc_files']} |",
        f"| WARC bytes written | {summary['warc_bytes']:,} |",
        f"| new stories | {summary['new_stories']} |",
        f"| duration | {summary['duration_seconds']} s |",
        "",
    ]
    lines += table("Changes by kind", summary["changes_by_kind"])
    lines += table("Errors by kind", summary["errors_by_kind"])
    if summary["changes"]:
        lines += ["**Changes**", ""]
        lines += [f"- {c['kind']}: [{c['title']}]({c['url']})" for c in summary["changes"]]
        lines.append("")
    verify = summary["verify"]
    status = "all intact" if verify["ok"] else _verify_problem(verify)
    lines.append(
        f"**Verification:** {verify['files']} WARC files, {verify['records']} records, {status}"
    )
    return "\n".join(lines) + "\n"


def _publish(summary: dict, key: str) -> None:
    create_markdown_artifact(
        markdown=_markdown(summary), key=key, description="newsarc crawl run summary"
    )
