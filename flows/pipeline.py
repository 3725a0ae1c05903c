"""The pipeline steps composed: crawl profiles, then bring the new WARCs into the catalog.

`archive_profiles` is the one "crawl these sites, then ingest" there is: the tests and benchmarks
call it with its plain steps, the Prefect flows (`flows.prefect_flows`) with their tasks.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import IngestReport, ingest_warcs
from archive.catalog.lake import PUBLISHED_TABLES, open_lake_reader, publish
from archive.errors import BadWarc, NewsarcError
from archive.stories.captures import extract_pending
from archive.stories.derive import derive_story_tables
from archive.warc.cdxj import index_path, index_warc, merge_index
from archive.warc.durable import fsync_path
from archive.warc.reader import WarcEntry
from crawlers.profile import load_profile
from crawlers.run import CrawlFailed, CrawlResult, run_crawl
from flows.archive_checks import VerifyReport, verify_warcs
from flows.rounds import ArchiveRound
from flows.run_summary import RunSummary, failures_by_kind, summarise

log = logging.getLogger(__name__)


def closed_warcs(data_dir: Path) -> list[Path]:
    """Every closed WARC ingest reads: newsarc's own and those `newsarc import` copied in. A plain
    `.warc` or a `.wacz` dropped there by hand is named, not read: `newsarc import` takes it in."""
    warc_dir = data_dir / "warcs"
    for stray in sorted([*warc_dir.glob("*.warc"), *warc_dir.glob("*.wacz")]):
        log.warning("%s is not ingested as it is; take it in with `newsarc import`", stray)
    return sorted(warc_dir.glob("*.warc.gz"))


def _index_if_missing(warc: Path, entries: list[WarcEntry] | None = None) -> None:
    """Index *warc* for replay unless it is; a file no indexer can read stays unindexed (its
    records are still catalogued), never a reason to stop ingest."""
    if not index_path(warc).exists():
        try:
            index_warc(warc, entries)
        except BadWarc as exc:
            log.error("%s; not indexed for replay", exc)


def _index_all(warc_dir: Path, warcs: list[Path], damaged: set[str]) -> None:
    """Index every closed WARC but the damaged ones, and merge the indexes."""
    for warc in warcs:
        if warc.name not in damaged:
            _index_if_missing(warc)
    if warcs:
        merge_index(warc_dir, damaged)


def ingest_data_dir(data_dir: Path, db_path: Path | None = None) -> IngestReport:
    """Index and catalog every closed WARC, extract new story captures, derive the story tables.

    A new WARC is read once for both: the catalog's verified listing of it also gives its CDXJ
    index. Files the catalog does not read (already ingested) are indexed afterwards, and the
    merged index is written even if cataloguing fails, as when indexing came first. A damaged
    file never stops the others: it is quarantined (listed in the report) and not indexed.
    Last, what changed in the public tables is published to the lake (DATA/lake) as one
    snapshot: what readers see.

    Idempotent: known and quarantined files are skipped, captures are extracted once, the
    derived tables are a function of what the WARCs hold, and an unchanged catalog publishes
    nothing."""
    warcs = closed_warcs(data_dir)
    con = None
    damaged: set[str] = set()
    try:
        try:
            con = open_catalog(db_path or data_dir / "archive.duckdb")
            report = ingest_warcs(con, warcs, on_listing=_index_if_missing)
            damaged = {q.warc_file for q in report.quarantined}
        finally:
            _index_all(data_dir / "warcs", warcs, damaged)
        extracted = extract_pending(con, data_dir / "warcs")
        tables = derive_story_tables(con, data_dir / "warcs")
        log.info("extracted %d story captures; derived %s", extracted, tables)
        publish(con, data_dir, _ingest_message(report), _ingest_counts(report, extracted))
        return report
    finally:
        if con is not None:
            con.close()


def _ingest_message(report: IngestReport) -> str:
    return f"ingest: {report.files} WARC files, {report.records_added} records"


def _ingest_counts(report: IngestReport, extracted: int) -> dict[str, int]:
    return {
        "warc_files": report.files,
        "records": report.records_added,
        "fetch_errors": report.errors_added,
        "story_captures": extracted,
    }


def reindex(data_dir: Path) -> IngestReport:
    """Rebuild the whole catalog from the WARCs alone, then swap it in atomically.

    The new catalog is built under another name and renamed over the old one only once it is
    complete and on disk, so a full disk or a kill leaves the old catalog as it was. The old
    catalog's write-ahead log goes first: replayed onto the new file, it would corrupt it."""
    final = data_dir / "archive.duckdb"
    fresh = data_dir / "archive.duckdb.reindex"
    _remove_catalog(fresh)
    try:
        report = ingest_data_dir(data_dir, db_path=fresh)
        fsync_path(fresh)
    except BaseException:
        _remove_catalog(fresh)
        raise
    _wal(final).unlink(missing_ok=True)
    os.replace(fresh, final)
    fsync_path(data_dir)
    return report


def _wal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def _remove_catalog(db_path: Path) -> None:
    db_path.unlink(missing_ok=True)
    _wal(db_path).unlink(missing_ok=True)


def export_tables(data_dir: Path, out_dir: Path) -> list[Path]:
    """Write each public table to Parquet (one file per table), as of the lake's last snapshot.

    The lake reader is sealed (it may read the lake and write nothing), so DuckDB hands the rows
    over as Arrow batches and pyarrow writes them: the only files written are the ones named
    here, each complete before it replaces an older export. One read transaction: the tables
    are exported as of one snapshot, however many ingests commit meanwhile."""
    import pyarrow.parquet as parquet

    out_dir.mkdir(parents=True, exist_ok=True)
    con = open_lake_reader(data_dir)
    written = []
    try:
        con.execute("BEGIN")
        existing = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        for table in PUBLISHED_TABLES:
            if table in existing:
                target = out_dir / f"{table}.parquet"
                partial = target.with_name(target.name + ".partial")
                # the table name is one of the constants above
                batches = con.execute(f"SELECT * FROM {table}").to_arrow_reader()
                with parquet.ParquetWriter(partial, batches.schema) as writer:
                    for batch in batches:
                        writer.write_batch(batch)
                os.replace(partial, target)
                written.append(target)
    finally:
        con.close()
    return written


class SiteUnreachable(CrawlFailed):
    """The crawl process finished but not one response came back: the site is down."""


def crawl_site(profile_path: Path, data_dir: Path, timeout: float = 3600) -> CrawlResult:
    """Crawl one profile (`run_crawl`); a crawl that received no response at all failed."""
    result = run_crawl(profile_path, data_dir, timeout=timeout)
    failures = failures_by_kind(result)
    if result.pages == 0 and failures:
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(failures.items()))
        raise SiteUnreachable(f"crawl of {result.profile} received no response ({kinds})")
    return result


CrawlOutcomes = dict[Path, CrawlResult | BaseException]


class RoundSteps:
    """The steps of one round, run in this process; the Prefect flows pass a subclass whose steps
    are tasks (retries, caching, a task per site), so both run `archive_profiles` itself."""

    def crawl_all(
        self, profiles: list[Path], data_dir: Path, round_id: str, *, parallel: int, timeout: float
    ) -> CrawlOutcomes:
        """Each profile's crawl result, or why it failed (a failing site never stops the others;
        anything but a crawl failure is a bug and is raised)."""

        def crawl(path: Path) -> CrawlResult | BaseException:
            try:
                return crawl_site(path, data_dir, timeout)
            except (CrawlFailed, NewsarcError) as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            return dict(zip(profiles, pool.map(crawl, profiles), strict=True))

    def ingest(self, data_dir: Path) -> IngestReport:
        return ingest_data_dir(data_dir)

    def verify(self, data_dir: Path, warcs: list[Path]) -> VerifyReport:
        return verify_warcs(data_dir, warcs, complete=False)

    def summarise(
        self,
        data_dir: Path,
        crawls: list[CrawlResult],
        failures: dict[str, str],
        verify: VerifyReport,
        duration: float,
    ) -> RunSummary:
        return summarise(data_dir, crawls, failures, verify, duration)


@dataclass
class ArchiveRun:
    """What `archive_profiles` did: each crawl, each failed site and why, the ingest, the check
    of the new files, and the summary a person reads."""

    round_id: str
    resumed: bool
    crawls: list[CrawlResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    ingest: IngestReport | None = None
    verify: VerifyReport | None = None
    summary: RunSummary | None = None


def archive_profiles(
    profile_paths: list[Path],
    data_dir: Path,
    *,
    parallel: int = 2,
    timeout: float = 3600,
    steps: RoundSteps | None = None,
    on_finished: Callable[[ArchiveRun], None] | None = None,
) -> ArchiveRun:
    """Crawl each profile as one round (`flows.rounds`), then ingest once, check the new WARC
    files, and summarise.

    A failing site never stops the others: it is named in ``failures`` and the rest are ingested.
    The round is resumed if a run of the same set was killed, refused (`RoundBusy`) while another
    process runs it, and finished only once everything here is done. `on_finished` runs just
    before the round is marked finished (the Prefect flow publishes its artifact there)."""
    steps = steps or RoundSteps()
    archive_round = ArchiveRound.begin(data_dir, profile_paths)  # RoundBusy if it is running
    try:
        started = time.monotonic()
        if archive_round.resumed:
            log.warning("resuming the unfinished round %s", archive_round.round_id)
        run = ArchiveRun(archive_round.round_id, archive_round.resumed)
        outcomes = steps.crawl_all(
            profile_paths, data_dir, archive_round.round_id, parallel=parallel, timeout=timeout
        )
        for path, outcome in outcomes.items():
            if isinstance(outcome, BaseException):
                log.error("site %s failed: %s", path, outcome)
                run.failures[site_label(path)] = f"{type(outcome).__name__}: {outcome}"
            else:
                run.crawls.append(outcome)
        run.ingest = steps.ingest(data_dir)
        new_warcs = [p for crawl in run.crawls for p in crawl.warc_files if p.exists()]
        run.verify = steps.verify(data_dir, new_warcs)
        for problem in run.verify.problems:
            log.error("%s", problem)
        duration = time.monotonic() - started
        run.summary = steps.summarise(data_dir, run.crawls, run.failures, run.verify, duration)
        if on_finished is not None:
            on_finished(run)
        archive_round.finish()
        return run
    finally:
        archive_round.release()


def site_label(path: Path) -> str:
    """`name (path)` when the profile can be read, else the path alone."""
    try:
        return f"{load_profile(path).name} ({path})"
    except NewsarcError:  # an unreadable profile is itself the failure reported
        return str(path)
