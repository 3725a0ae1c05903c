"""Crawl progress on disk: `jobs/<profile>/progress.json`, rewritten every second while crawling.

The crawl runs in a child process, so a parent that wants to show progress (the CLI's live
display) can only read files. `stats.json` appears when the crawl ends; this extension writes the
few counters a person watches in the meantime, atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawlers.job import CrawlJob

log = logging.getLogger(__name__)

PROGRESS_FILE = "progress.json"


class CrawlProgress:
    """Scrapy extension: pages fetched, queue, errors, every `NEWSARC_PROGRESS_INTERVAL` seconds."""

    def __init__(self, crawler: Crawler, path: Path, run_id: str, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.run_id = run_id
        self.interval = interval
        self.started_at = datetime.now(UTC).isoformat()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        job: CrawlJob = crawler.settings["NEWSARC_JOB"]
        interval = crawler.settings.getfloat("NEWSARC_PROGRESS_INTERVAL", 1.0)
        extension = cls(crawler, job.directory / PROGRESS_FILE, job.run_id, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        self._loop = task.LoopingCall(self.write, "running")
        self._loop.start(self.interval, now=True)

    def closed(self, spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.write("finished")

    def write(self, status: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        session = getattr(self.crawler, "_newsarc_session", None)  # set by crawlers.session
        archived = session.stats if session is not None else {}
        engine = self.crawler.engine
        progress = {
            "run_id": self.run_id,
            "status": status,
            "process_started_at": self.started_at,
            "updated_at": datetime.now(UTC).isoformat(),
            "pages": int(stats.get("response_received_count", 0)),
            "queued": int(stats.get("scheduler/enqueued", 0))
            - int(stats.get("scheduler/dequeued", 0)),
            "in_flight": len(engine.downloader.active) if engine is not None else 0,
            "errors": sum(n for k, n in archived.items() if k.startswith("failures/")),
        }
        try:
            # no fsync: losing the last second of progress in a crash costs nothing
            tmp = self.path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(progress), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # progress is a courtesy; never stop a crawl over it
            log.warning("could not write %s: %s", self.path, exc)
