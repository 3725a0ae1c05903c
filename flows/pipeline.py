"""The pipeline steps composed: crawl profiles, then bring the new WARCs into the catalog.

Plain functions, so tests and benchmarks call them directly; Prefect flows wrap them.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import IngestReport, ingest_warcs
from archive.errors import BadWarc, NewsarcError
from archive.stories.captures import extract_pending
from archive.stories.derive import derive_story_tables
from archive.warc.cdxj import index_path, index_warc, merge_index
from archive.warc.durable import fsync_path
from archive.warc.reader import WarcEntry
from crawlers.run import CrawlFailed, CrawlResult, run_crawl

log = logging.getLogger(__name__)


@dataclass
class ArchiveRun:
    crawls: list[CrawlResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    ingest: IngestReport | None = None


def closed_warcs(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "warcs").glob("*.warc.gz"))


PUBLIC_TABLES = (
    "captures", "articles", "article_versions", "paragraph_pairs", "article_urls",
    "article_captures", "near_duplicates", "changes", "fetch_errors",
)  # fmt: skip


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

    Idempotent: known and quarantined files are skipped, captures are extracted once, and the
    derived tables are a function of what the WARCs hold."""
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
        return report
    finally:
        if con is not None:
            con.close()


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
    """Write each public table to Parquet (one file per table).

    A read-only catalog connection may touch no file but the catalog, so DuckDB hands the rows
    over as Arrow batches and pyarrow writes them: the only files written are the ones named
    here, each complete before it replaces an older export."""
    import pyarrow.parquet as parquet

    out_dir.mkdir(parents=True, exist_ok=True)
    con = open_catalog(data_dir / "archive.duckdb", read_only=True)
    written = []
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for table in PUBLIC_TABLES:
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


def archive_profiles(
    profile_paths: list[Path], data_dir: Path, *, parallel: int = 2, timeout: float = 3600
) -> ArchiveRun:
    """Crawl each profile (a failing site never stops the others), then ingest."""
    run = ArchiveRun()
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = {
            path: pool.submit(run_crawl, path, data_dir, timeout=timeout) for path in profile_paths
        }
        for path, future in futures.items():
            try:
                run.crawls.append(future.result())
            except (CrawlFailed, NewsarcError) as exc:
                log.error("%s", exc)
                run.failures[str(path)] = str(exc)
    run.ingest = ingest_data_dir(data_dir)
    return run
