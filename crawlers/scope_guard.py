"""The last downloader middleware before Scrapy's network: nothing outside the crawl's scope
is fetched, whoever asked for it.

The spider follows only in-scope links and Scrapy's offsite filter drops other hosts, but a
redirect, a meta refresh, a retry (`dont_filter`) or a robots.txt fetch are requests too. This
checks every one against the same rule the browser's proxy enforces (crawlers/network_scope.py).
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawlers.network_scope import NetworkScope

log = logging.getLogger(__name__)


class ScopeGuardMiddleware:
    def __init__(self, scope: NetworkScope) -> None:
        self.scope = scope

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeGuardMiddleware:
        return cls(crawler.settings["NEWSARC_NETWORK_SCOPE"])

    def process_request(self, request: Request, spider: Spider) -> None:
        if not self.scope.allows_url(request.url):
            log.warning("request refused, out of scope: %s", request.url)
            raise IgnoreRequest(f"out of scope: {request.url}")
