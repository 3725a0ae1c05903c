"""Prefect flows over the plain pipeline functions (STYLE.md section 5: thin flows).

The work lives in `crawlers.run.run_crawl`, `flows.pipeline` and `flows.archive_checks`: a round
is `flows.pipeline.archive_profiles` itself, given this module's tasks as its steps. This module
only adds what Prefect is for: retries with backoff where a failure can pass (a crawl that
died, a catalog another process is writing), caching where it saves real work (a site already
crawled in this round, a WARC file already checked), a fan-out with a concurrency limit, a final
state that says which site failed, and a Markdown artifact per run that a person can read.

Without a ``PREFECT_API_URL`` Prefect starts a temporary local API on the first flow call in a
process, so nothing has to be installed or running to use these flows.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from flows.prefect_env import apply_prefect_defaults

apply_prefect_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.tasks import exponential_backoff  # noqa: E402

from archive.catalog.ingest import IngestReport  # noqa: E402
from archive.errors import CatalogLocked  # noqa: E402
from crawlers.profile import load_profile  # noqa: E402
from crawlers.run import CrawlResult, SiteBusy  # noqa: E402
from flows.archive_checks import (  # noqa: E402
    VerifyReport,
    WarcCheck,
    check_warc,
    consistency_problems,
)
from flows.pipeline import (  # noqa: E402
    ArchiveRun,
    CrawlOutcomes,
    RoundSteps,
    archive_profiles,
    closed_warcs,
    export_tables,
    ingest_data_dir,
    reindex,
)
from flows.pipeline import crawl_site as crawl_one_site  # noqa: E402
from flows.run_summary import RunSummary, summarise  # noqa: E402

# DuckDB allows one writer per file, and one process cannot hold the same file both read-write and
# read-only. Every catalog open in this module's process goes through this lock. Other processes
# (a second served flow run, another machine) get `CatalogLocked`, which the catalog tasks retry
# with backoff.
_CATALOG_LOCK = threading.Lock()


class SitesFailed(RuntimeError):
    """Raised by `archive_all` after ingesting the good sites; names each failed site and why.

    ``summary`` is the run's summary (the CLI prints it even when the run failed)."""

    def __init__(self, message: str, summary: RunSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary

    def __reduce__(self):  # Prefect may pickle the exception into the flow's final state
        return (type(self), (str(self), self.summary))


class ArchiveDamaged(RuntimeError):
    """Raised by `verify_archive` when a WARC, an index or the catalog disagrees with the files.

    ``report`` is the whole verification (the CLI prints it as JSON or CSV when asked)."""

    def __init__(self, message: str, report: VerifyReport | None = None) -> None:
        super().__init__(message)
        self.report = report

    def __reduce__(self):  # Prefect may pickle the exception into the flow's final state
        return (type(self), (str(self), self.report))


def _catalog_busy(task, task_run, state) -> bool:
    """Retry only when another process holds the catalog; any other error is final."""
    try:
        state.result()
    except CatalogLocked:
        return True
    except Exception:  # noqa: BLE001 - anything else is a real failure, reported as such
        return False
    return False


_CATALOG_RETRIES = {
    "retries": 6,
    "retry_delay_seconds": exponential_backoff(backoff_factor=5),  # 5, 10, 20, 40, 80, 160 s
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": _catalog_busy,
}


def _results_storage(data_dir: Path) -> Path:
    """Cached task results live with the data they describe, so any process sharing `data` finds
    them (not in one user's ~/.prefect)."""
    return (data_dir / "prefect-results").resolve()


def _forget_round(data_dir: Path, round_id: str) -> None:
    """A finished round's cached crawl results can never be asked for again (the next run starts
    a new round): drop them, so `prefect-results/` does not grow with every run."""
    for cached in _results_storage(data_dir).glob(f"crawl-{round_id}-*"):
        cached.unlink(missing_ok=True)


# -- tasks ------------------------------------------------------------------------------------


def _crawl_cache_key(context, parameters: dict) -> str:
    profile = str(Path(parameters["profile_path"]).resolve())
    digest = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:16]
    return f"crawl-{parameters['round_id']}-{digest}"


def _crawl_may_pass(task, task_run, state) -> bool:
    """Retry a crawl that died; never one refused because another process crawls the site (a
    retry would crawl it again as soon as that crawl ends: two crawls where one was asked)."""
    try:
        state.result()
    except SiteBusy:
        return False
    except Exception:  # noqa: BLE001 - any other failure may pass: retried, resuming
        return True
    return False


@task(
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_crawl_may_pass,
    cache_key_fn=_crawl_cache_key,
    persist_result=True,
)
def crawl_task(
    profile_path: Path, data_dir: Path, round_id: str, timeout: float = 3600
) -> CrawlResult:
    """Crawl one site profile (a `crawlers.crawl` subprocess with a timeout).

    Reads the profile TOML, the site, and the job state in ``data_dir/jobs/<profile>/``; writes
    new WARC files to ``data_dir/warcs/`` and the job's state, progress and ``stats.json``.
    Idempotent: cached per (round, profile), so a flow run again after being killed does not crawl
    a site again that this round already crawled; a crawl that was itself killed resumes from its
    job directory, serving pages it had archived from its WARCs, never writing them twice. Fails
    (and is retried, resuming) when the process dies, times out, or receives no response at all;
    fails at once, unretried, when another process is crawling the site.
    """
    logger = get_run_logger()
    logger.info("crawling %s into %s", profile_path, data_dir)
    result = crawl_one_site(profile_path, data_dir, timeout)
    logger.info(
        "%s: %d responses, %d WARC files", result.profile, result.pages, len(result.warc_files)
    )
    return result


@task(cache_policy=NO_CACHE, **_CATALOG_RETRIES)
def ingest_task(data_dir: Path) -> IngestReport:
    """Bring every closed WARC in ``data_dir/warcs/`` into the catalog, and detect changes.

    Reads the WARC files and ``data_dir/archive.duckdb``; writes CDXJ indexes next to the WARCs,
    the merged ``index.cdxj``, the catalog tables and the story versions and changes derived
    from them. Idempotent, and not cached by Prefect because the catalog is its own cache: a WARC
    whose sha256 is already in ``warc_files`` is skipped, each capture is extracted once, and
    the derived story tables are a function of what the WARCs hold (a Prefect cache would go stale
    when the catalog is rebuilt). Retried with backoff while another process holds the catalog.
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
    return report


def _warc_cache_key(context, parameters: dict) -> str:
    """A closed WARC is never written again; a file that did change has another size or mtime."""
    path = Path(parameters["path"])
    stat = path.stat()
    return f"warc-check-{path.name}-{stat.st_size}-{stat.st_mtime_ns}"


@task(cache_key_fn=_warc_cache_key, persist_result=True)
def check_warc_task(path: Path) -> WarcCheck:
    """Check one closed WARC file: gzip framing, one record per member, every digest (warcio).

    Reads the file; writes nothing but its cached result. Cached by file name, size and mtime,
    so a flow run again (after a failure, or re-verifying) does not read an unchanged file again.
    """
    return check_warc(path)


@task(cache_policy=NO_CACHE, **_CATALOG_RETRIES)
def catalog_check_task(data_dir: Path, checks: list[WarcCheck], complete: bool) -> list[str]:
    """Compare the CDXJ indexes and the catalog (read-only) with the checked files.

    Writes nothing, so running it twice changes nothing; returns the problems found."""
    with _CATALOG_LOCK:
        return consistency_problems(data_dir, checks, complete=complete)


@task(cache_policy=NO_CACHE, **_CATALOG_RETRIES)
def summary_task(
    data_dir: Path,
    crawls: list[CrawlResult],
    failures: dict[str, str],
    verify: VerifyReport,
    duration: float,
) -> RunSummary:
    """The run's summary (`flows.run_summary.summarise`); reads the catalog, writes nothing."""
    with _CATALOG_LOCK:
        return summarise(data_dir, crawls, failures, verify, duration)


# -- flows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundOptions:
    """How a flow runs its round: sites at once, each crawl's time limit, the crawl task's
    retries (None: its own), and the key of the summary artifact."""

    max_parallel: int = 2
    timeout: float = 3600
    crawl_retries: int | None = None
    artifact_key: str = "archive-all"


class TaskSteps(RoundSteps):
    """The round's steps as Prefect tasks: a crawl task per site (cached per round, retried),
    the catalog steps under this process's catalog lock, retried while another holds it."""

    def __init__(self, data_dir: Path, crawl_retries: int | None) -> None:
        self.storage = _results_storage(data_dir)
        crawl = crawl_task.with_options(result_storage=self.storage)
        self.crawl = crawl if crawl_retries is None else crawl.with_options(retries=crawl_retries)

    def crawl_all(
        self, profiles: list[Path], data_dir: Path, round_id: str, *, parallel: int, timeout: float
    ) -> CrawlOutcomes:
        outcomes: CrawlOutcomes = {}
        with ThreadPoolTaskRunner(max_workers=max(1, parallel)) as runner:
            futures = {
                path: runner.submit(
                    self.crawl,
                    {
                        "profile_path": path,
                        "data_dir": data_dir,
                        "round_id": round_id,
                        "timeout": timeout,
                    },
                )
                for path in profiles
            }
            for path, future in futures.items():
                future.wait()
                outcomes[path] = future.state.result(raise_on_failure=False)
        return outcomes

    def ingest(self, data_dir: Path) -> IngestReport:
        return ingest_task(data_dir)

    def verify(self, data_dir: Path, warcs: list[Path]) -> VerifyReport:
        """Check the WARC files this run wrote (each check cached by file name, size and mtime),
        and that the catalog and indexes agree with them."""
        check = check_warc_task.with_options(result_storage=self.storage)
        checks = [check(path) for path in warcs]
        return VerifyReport.of(checks, catalog_check_task(data_dir, checks, complete=False))

    def summarise(
        self,
        data_dir: Path,
        crawls: list[CrawlResult],
        failures: dict[str, str],
        verify: VerifyReport,
        duration: float,
    ) -> RunSummary:
        return summary_task(data_dir, crawls, failures, verify, duration)


def _archive_round(profiles: list[Path], data: Path, options: RoundOptions) -> RunSummary:
    """Crawl every profile of one round (`flows.pipeline.archive_profiles` with the tasks above),
    publish the summary; raises `SitesFailed` naming the failures, and `RoundBusy` at once while
    another process archives the same set."""
    logger = get_run_logger()

    def publish(run: ArchiveRun) -> None:
        """What the plain round logged, in the flow run's log too; then the artifact."""
        if run.resumed:
            logger.warning("resumed the unfinished round %s", run.round_id)
        for site, why in run.failures.items():
            logger.error("site %s failed: %s", site, why)
        for problem in run.verify.problems:
            logger.error("%s", problem)
        create_markdown_artifact(
            markdown=run.summary.markdown(),
            key=options.artifact_key,
            description="newsarc crawl run summary",
        )

    run = archive_profiles(
        profiles,
        data,
        parallel=options.max_parallel,
        timeout=options.timeout,
        steps=TaskSteps(data, options.crawl_retries),
        on_finished=publish,
    )
    _forget_round(data, run.round_id)
    problems = [f"{site}: {why}" for site, why in run.failures.items()]
    if not run.verify.ok:
        problems.append(run.verify.failure())
    if problems:
        raise SitesFailed(
            f"{len(run.failures)} of {len(profiles)} sites failed; the others were archived.\n"
            + "\n".join(problems),
            run.summary,
        )
    return run.summary


@flow(name="crawl-site")
def crawl_site(profile: Path, data: Path = Path("data"), timeout: float = 3600) -> RunSummary:
    """Crawl one site, ingest and detect changes, verify what was written, publish a summary."""
    key = f"crawl-{_artifact_slug(_site_name(profile))}"
    return _archive_round([profile], data, RoundOptions(1, timeout, None, key))


@flow(name="archive-all")
def archive_all(
    profiles: list[Path],
    data: Path = Path("data"),
    max_parallel: int = 2,
    timeout: float = 3600,
    crawl_retries: int | None = None,
) -> RunSummary:
    """Crawl every profile (at most `max_parallel` at once), then ingest once and verify.

    One failing site never stops the others: their captures are ingested and summarised, and only
    then does the run fail, with a message naming each failed profile and why.
    `crawl_retries` overrides the crawl task's retries (0 for a quick failure).
    """
    return _archive_round(profiles, data, RoundOptions(max_parallel, timeout, crawl_retries))


@flow(name="verify-archive")
def verify_archive(data: Path = Path("data")) -> VerifyReport:
    """Check every closed WARC (framing and digests, warcio), its CDXJ index, the merged index,
    and that `warc_files` and `captures` agree with the files; fails naming every problem."""
    files = closed_warcs(data)
    # A full audit reads every byte again: bit rot does not change a file's size or mtime.
    check = check_warc_task.with_options(result_storage=_results_storage(data), refresh_cache=True)
    checks = [future.result() for future in check.map(files)]
    report = VerifyReport.of(checks, catalog_check_task(data, checks, complete=True))
    create_markdown_artifact(
        markdown=report.markdown(), key="verify-archive", description="newsarc verification"
    )
    if not report.ok:
        raise ArchiveDamaged(
            f"{len(report.problems)} problems: " + "; ".join(report.problems), report
        )
    get_run_logger().info("verified %d WARC files, %d records", report.files, report.records)
    return report


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


@flow(name="maintain-archive")
def maintain_archive(data: Path = Path("data"), expire_older_than_days: int = 30) -> dict[str, int]:
    """Expire the published archive's snapshots older than this many days and compact its small
    files (`archive.catalog.lake.maintain`); idempotent, readers are never disturbed."""
    from dataclasses import asdict
    from datetime import timedelta

    from archive.catalog.lake import maintain

    with _CATALOG_LOCK:  # a lake writer like an ingest: never at the same time in this process
        done = maintain(data, timedelta(days=expire_older_than_days))
    get_run_logger().info("maintained the lake: %s", done)
    return asdict(done)


# -- names ------------------------------------------------------------------------------------


def _site_name(path: Path) -> str:
    try:
        return load_profile(path).name
    except Exception:  # noqa: BLE001 - the crawl task reports an unreadable profile properly
        return Path(path).stem


def _artifact_slug(name: str) -> str:
    """Artifact keys allow only lowercase letters, digits and dashes."""
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "site"
