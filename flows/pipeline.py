"""The pipeline steps composed: crawl profiles, then bring the new WARCs into the catalog.

Plain functions, so tests and benchmarks call them directly; Prefect flows wrap them.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from archive.catalog import IngestReport, ingest_warcs, open_catalog
from archive.cdxj import index_warc, merge_index
from crawlers.run import CrawlFailed, CrawlResult, run_crawl

log = logging.getLogger(__name__)


@dataclass
class ArchiveRun:
    crawls: list[CrawlResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    ingest: IngestReport | None = None


def closed_warcs(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "warcs").glob("*.warc.gz"))


def ingest_data_dir(data_dir: Path) -> IngestReport:
    """Index and catalog every closed WARC; idempotent (known files are skipped)."""
    warcs = closed_warcs(data_dir)
    for warc in warcs:
        if not warc.with_name(warc.name + ".cdxj").exists():
            index_warc(warc)
    if warcs:
        merge_index(data_dir / "warcs")
    con = open_catalog(data_dir / "archive.duckdb")
    try:
        return ingest_warcs(con, warcs)
    finally:
        con.close()


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
            except CrawlFailed as exc:
                log.error("%s", exc)
                run.failures[str(path)] = str(exc)
    run.ingest = ingest_data_dir(data_dir)
    return run
