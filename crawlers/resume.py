"""Downloader middleware that lets a resumed run skip what the killed run already archived.

The page is served from this run's WARC instead of the network (and not archived again), so the
spider still sees its links and the crawl continues where it stopped.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from crawlers.archived import archived_response
from crawlers.session import CrawlSession

RESUMED_FLAG = "newsarc-resumed"


class ResumeFromArchiveMiddleware:
    def __init__(self, session: CrawlSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeFromArchiveMiddleware:
        return cls(CrawlSession.of(crawler))

    def process_request(self, request: Request, spider: Spider):
        location = self.session.snapshot.this_run.get(request.url)
        if location is None or request.meta.get("playwright"):
            return None
        self.session.count("resume/served_from_warc")
        return archived_response(request, location, RESUMED_FLAG)
