"""The archive state one crawl shares between its recording components.

Built once per crawler from settings: the WARC writer, the payload index that decides revisits,
what the archive already held for each URL (for conditional requests) and what this same run
archived before it was killed (for resuming). Components reach it with `CrawlSession.of(crawler)`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from archive.warc.payload_index import PayloadIndex
from archive.warc.writer import WarcWriter
from crawlers.job import CrawlJob
from crawlers.snapshot import ArchiveSnapshot

log = logging.getLogger(__name__)

_ATTRIBUTE = "_newsarc_session"


@dataclass
class CrawlSession:
    writer: WarcWriter
    payloads: PayloadIndex
    snapshot: ArchiveSnapshot
    job: CrawlJob
    warc_dir: Path
    stats: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlSession:
        session = getattr(crawler, _ATTRIBUTE, None)
        if session is None:
            session = cls._from_settings(crawler)
            setattr(crawler, _ATTRIBUTE, session)
            crawler.signals.connect(session._close, signal=signals.spider_closed)
        return session

    @classmethod
    def _from_settings(cls, crawler: Crawler) -> CrawlSession:
        settings = crawler.settings
        snapshot: ArchiveSnapshot = settings["NEWSARC_SNAPSHOT"]
        job: CrawlJob = settings["NEWSARC_JOB"]
        warc_dir = Path(settings["NEWSARC_WARC_DIR"])
        writer = WarcWriter(
            directory=warc_dir,
            prefix=settings["NEWSARC_WARC_PREFIX"],
            max_file_bytes=settings.getint("NEWSARC_WARC_MAX_BYTES"),
            warcinfo_fields=dict(settings.getdict("NEWSARC_WARCINFO")),
            on_file_opened=job.add_file,
        )
        return cls(
            writer=writer,
            payloads=PayloadIndex(snapshot.payloads),
            snapshot=snapshot,
            job=job,
            warc_dir=warc_dir,
        )

    def count(self, key: str, by: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + by

    def _close(self, spider) -> None:
        self.writer.close()
        log.info("archive session closed: %s", self.stats)
