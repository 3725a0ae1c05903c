"""The one generic news spider: a site profile says where to start and what to follow.

It yields requests (and FetchFailed items for what could not be fetched); archiving is done by
the downloader middlewares, so the spider never touches files or databases.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from crawlers.browser import browser_meta
from crawlers.failures import FetchFailed, describe_failure
from crawlers.profile import PageKind, SiteProfile
from crawlers.urls import clean_link

_PAGE_LINKS = "//a/@href | //link[@rel='canonical' or @rel='amphtml' or @rel='alternate']/@href"


class NewsSpider(Spider):
    name = "news"

    def __init__(
        self, profile: SiteProfile, due_stories: list[str] | None = None, **kwargs
    ) -> None:
        super().__init__(name=profile.name, **kwargs)
        self.profile = profile
        self.due_stories = due_stories or []
        self.allowed_domains = list(profile.allowed_domains)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.profile.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.on_error)
        for url in self.profile.feeds:
            yield Request(url, callback=self.parse_feed, errback=self.on_error)
        for url in self.profile.start_urls:
            yield self.page_request(url)
        for url in self.due_stories:  # known stories due for a re-check (crawlers/recheck.py)
            if self.profile.in_scope(url):
                yield self.page_request(url, source="recheck")

    def page_request(self, url: str, **meta) -> Request:
        if self.profile.needs_browser(url):
            meta.update(browser_meta(self.profile))
        return Request(url, callback=self.parse_page, errback=self.on_error, meta=meta)

    def follow(self, url: str, **meta) -> Request | None:
        """A request for `url` if it is in scope and the profile wants that kind of page."""
        url = clean_link(url, self.profile.strip_query_params)
        if not self.profile.in_scope(url):
            return None
        if self.profile.classify(url) is PageKind.OTHER:
            return None
        return self.page_request(url, **meta)

    def parse_page(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            return
        for href in response.xpath(_PAGE_LINKS).getall():
            request = self.follow(response.urljoin(href.strip()))
            if request is not None:
                yield request

    def parse_feed(self, response: Response) -> Iterator[Request]:
        links = response.xpath(
            "//*[local-name()='item']/*[local-name()='link']/text()"
            " | //*[local-name()='entry']/*[local-name()='link']/@href"
        ).getall()
        for link in links:
            request = self.follow(response.urljoin(link.strip()), source="feed")
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                if self.profile.in_scope(loc):
                    yield Request(loc, callback=self.parse_sitemap, errback=self.on_error)
                continue
            request = self.follow(loc, source="sitemap", lastmod=entry.get("lastmod"))
            if request is not None:
                yield request

    def on_error(self, failure) -> Iterator[FetchFailed]:
        request = failure.request
        kind, reason, status = describe_failure(failure)
        self.logger.warning("fetch failed (%s): %s: %s", kind, request.url, reason)
        yield FetchFailed(
            url=request.url,
            error=kind,
            reason=reason,
            status=status,
            attempts=request.meta.get("retry_times", 0) + 1,
            profile=self.profile.name,
        )
