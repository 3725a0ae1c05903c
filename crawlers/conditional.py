"""Downloader middleware for incremental re-crawls: conditional GET from what the archive holds.

An unchanged page then costs a 304, archived as a server-not-modified revisit; the spider gets the
archived page back (from the WARC) so it can still follow the page's links.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawlers.archived import ARCHIVED_FLAG, archived_response
from crawlers.recording import HELD_META
from crawlers.session import CrawlSession

NOT_MODIFIED_FLAG = "newsarc-not-modified"


class ConditionalRequestMiddleware:
    def __init__(self, session: CrawlSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(CrawlSession.of(crawler))

    def process_request(self, request: Request, spider: Spider) -> None:
        if request.method != "GET" or request.meta.get("playwright"):
            return None
        held = self.session.snapshot.held.get(request.url)
        if held is None:
            return None
        if held.etag:
            request.headers.setdefault(b"If-None-Match", held.etag.encode("latin-1"))
        if held.last_modified:
            request.headers.setdefault(b"If-Modified-Since", held.last_modified.encode("latin-1"))
        if held.etag or held.last_modified:
            request.meta[HELD_META] = held
            self.session.count("conditional/sent")
        return None

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        held = request.meta.get(HELD_META)
        if response.status != 304 or held is None or ARCHIVED_FLAG in response.flags:
            return response
        self.session.count("conditional/not_modified")
        location = self.session.snapshot.held_location(held, self.session.warc_dir)
        return archived_response(request, location, NOT_MODIFIED_FLAG)
