"""robots.txt as RFC 9309 reads it: a server error means "crawl nothing", not "crawl everything".

Scrapy parses whatever body robots.txt answers with, so a 503 error page (no rules) allows the
whole site. RFC 9309 section 2.3.1.4 says a crawler MUST assume complete disallow when robots.txt
is unreachable because of a server error (5xx, after retries); 4xx still means "no rules". Each
request the rule refuses fails with a reason that names the status, archived as a fetch error
(`fetch_errors`, error `robots_disallowed`), so a crawl that archived nothing says why.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxt
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxt):
    """Scrapy's robots.txt middleware, refusing every request to a host whose robots.txt
    answered 5xx."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._server_errors: dict[str, int] = {}  # netloc -> robots.txt status

    def _parse_robots(self, response, netloc: str, spider) -> None:
        if response.status >= 500:
            self._server_errors[netloc] = response.status
            self.crawler.stats.inc_value("newsarc/robotstxt/server_error_disallow")
            log.warning(
                "%s answered HTTP %d: crawling nothing on %s (RFC 9309 2.3.1.4)",
                response.url,
                response.status,
                netloc,
            )
        super()._parse_robots(response, netloc, spider)

    def process_request_2(self, rp, request, spider) -> None:
        status = self._server_errors.get(urlparse_cached(request).netloc)
        if status is not None:
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(
                f"Forbidden by robots.txt: it answered HTTP {status}, a server error, which"
                " means complete disallow (RFC 9309 2.3.1.4)"
            )
        super().process_request_2(rp, request, spider)
