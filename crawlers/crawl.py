"""Child-process entry point for one crawl: `python -m crawlers.crawl --profile P --data D`.

Twisted's reactor cannot restart inside one process, so every crawl runs in its own process;
the parent (crawlers.run) waits for it with a timeout, and the child dies with it
(crawlers/lifeline.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from archive.warc.recovery import mend_open_files
from crawlers.crawl_lock import EXIT_BUSY, CrawlBusy, hold_crawl_lock
from crawlers.job import CrawlJob
from crawlers.lifeline import die_with_parent
from crawlers.profile import load_profile
from crawlers.settings import crawl_settings
from crawlers.snapshot import load_snapshot
from crawlers.spiders.news import NewsSpider

log = logging.getLogger("newsarc.crawl")


def crawl(profile_path: Path, data_dir: Path, *, record: bool = True) -> int:
    profile = load_profile(profile_path)
    warc_dir = data_dir / "warcs"
    warc_dir.mkdir(parents=True, exist_ok=True)
    lock = hold_crawl_lock(data_dir / "jobs" / profile.name)  # noqa: F841 - held until return
    job = CrawlJob.begin(data_dir / "jobs" / profile.name)
    if job.resumed:
        for report in mend_open_files(warc_dir):
            log.warning("mended WARC left by a killed crawl: %s", report)
    snapshot = load_snapshot(data_dir / "archive.duckdb", warc_dir, job.files(), profile=profile)
    settings = crawl_settings(profile, data_dir=data_dir, job=job, snapshot=snapshot, record=record)
    settings["LOG_FILE"] = str(data_dir / "logs" / f"{profile.name}-{job.run_id}.log")
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, profile=profile, due_stories=snapshot.due_stories)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    session = getattr(crawler, "_newsarc_session", None)
    if session is not None:
        stats.update({f"newsarc/{k}": v for k, v in session.stats.items()})
        stats["newsarc/warc_files"] = [str(p) for p in session.writer.closed_files]
    stats["newsarc/run_id"] = job.run_id
    stats["newsarc/resumed"] = job.resumed
    job.finish(stats)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", required=True, type=Path)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument(
        "--no-record", action="store_true", help="crawl without writing WARC (benchmarks only)"
    )
    parser.add_argument(
        "--parent-pid", type=int, help="die when this process (the one that started us) dies"
    )
    args = parser.parse_args(argv)
    if args.parent_pid is not None:
        die_with_parent(args.parent_pid)
    try:
        return crawl(args.profile, args.data, record=not args.no_record)
    except CrawlBusy as exc:
        print(f"newsarc: {exc}", file=sys.stderr)
        return EXIT_BUSY


if __name__ == "__main__":
    sys.exit(main())
