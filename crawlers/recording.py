"""Downloader middleware that archives every HTTP exchange to WARC.

It sits next to the download handler (priority 950), so it sees requests with every header
Scrapy will send and responses before decompression, retries and redirects touch them: a 503
that is later retried, a 301 and a gzip body are archived as they came.

Browser pages (scrapy-playwright) are archived from the page's own network log: every response
the page loaded, then `resource` records linked to the document's response, named as Browsertrix
Crawler names them (archive/warc/records.py): the rendered DOM, its text and, when the profile
asks, screenshots.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archive.warc.digests import payload_digest
from archive.warc.records import (
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
    full_page_urn,
    rendered_dom_urn,
    text_urn,
    view_urn,
)
from archive.warc.writer import HttpExchange, Original, WrittenRecord
from crawlers.archived import ARCHIVED_FLAG
from crawlers.browser import BROWSER_RESPONSE_HANDLER, SCOPE_PROXY_SETTING, BrowserNetworkLog
from crawlers.session import CrawlSession

log = logging.getLogger(__name__)

HELD_META = "newsarc_held"
# The page's text as the browser lays it out (what a reader sees; scripts and styles excluded),
# Browsertrix's `urn:text:` record. A hostile page may redefine innerText: if it throws, no text.
RENDERED_TEXT_JS = """() => {
  try { return String(document.body ? document.body.innerText : ""); } catch (e) { return ""; }
}"""


def _header_pairs(headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def exchange_from_scrapy(request: Request, response: Response) -> HttpExchange:
    ip = getattr(response, "ip_address", None)
    return HttpExchange(
        url=response.url,
        method=request.method,
        request_headers=_header_pairs(request.headers),
        request_body=request.body or b"",
        status=response.status,
        response_headers=_header_pairs(response.headers),
        body=response.body,
        http_version=getattr(response, "protocol", None) or "HTTP/1.1",
        ip_address=str(ip) if ip else None,
        captured_at=datetime.now(UTC),
    )


class WarcRecorderMiddleware:
    """Writes request/response (or revisit) records for everything the downloader fetches."""

    def __init__(self, session: CrawlSession, screenshots: bool = False, proxy=None) -> None:
        self.session = session
        self.screenshots = screenshots
        self.browser_log = BrowserNetworkLog(proxy)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        middleware = cls(
            CrawlSession.of(crawler),
            crawler.settings.getbool("NEWSARC_BROWSER_SCREENSHOT"),
            crawler.settings.get(SCOPE_PROXY_SETTING),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        # scrapy-playwright resolves page event handlers given by name on the spider.
        setattr(spider, BROWSER_RESPONSE_HANDLER, self.browser_log.on_response)

    async def process_response(self, request: Request, response: Response, spider: Spider):
        if ARCHIVED_FLAG in response.flags:
            return response
        if "playwright" in response.flags:
            await self._record_browser_page(request, response)
        else:
            self.record(exchange_from_scrapy(request, response), held=request.meta.get(HELD_META))
        return response

    async def process_exception(self, request: Request, exception: Exception, spider: Spider):
        """A browser page whose load failed is still open (we asked to keep it): close it."""
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            self.browser_log.forget(page)
            await page.close()
        return None

    def record(self, exchange: HttpExchange, held=None) -> WrittenRecord:
        """Archive one exchange as a full response or, when its payload is known, a revisit."""
        session = self.session
        if exchange.status == 304 and held is not None:
            original = Original(uri=exchange.url, date=held.captured_at)
            response, _ = session.writer.write_revisit(
                exchange, original, profile=PROFILE_SERVER_NOT_MODIFIED, digest=held.payload_digest
            )
            session.count("warc/revisit_not_modified")
            return response
        digest = payload_digest(exchange.body)
        original = session.payloads.original_for(digest)
        if original is not None and exchange.body:
            response, _ = session.writer.write_revisit(
                exchange, original, profile=PROFILE_IDENTICAL_PAYLOAD, digest=digest
            )
            session.count("warc/revisit_identical")
            return response
        response, _ = session.writer.write_exchange(exchange, digest)
        session.payloads.remember(
            digest, Original(exchange.url, response.captured_at, response.record_id)
        )
        session.count("warc/response")
        return response

    async def _record_browser_page(self, request: Request, response: Response) -> None:
        page = response.meta.get("playwright_page")
        captures = await self.browser_log.drain(page)
        document_id = None
        for capture in captures:
            written = self.record(capture.exchange)
            if capture.is_document and capture.exchange.url == response.url:
                document_id = written.record_id
        now = datetime.now(UTC)
        page_url = response.url

        def keep(urn: str, body: bytes, content_type: str) -> None:
            """A record the browser made from the page (not fetched), tied to its document."""
            self.session.writer.write_resource(
                urn,
                body,
                content_type,
                captured_at=now,
                concurrent_to=document_id,
                refers_to_uri=page_url,
            )

        keep(rendered_dom_urn(page_url), response.body, "text/html; charset=utf-8")
        self.session.count("warc/rendered_dom")
        if page is None:
            return
        try:
            text = await self._rendered_text(page)
            if text is not None:
                keep(text_urn(page_url), text.encode("utf-8"), "text/plain; charset=utf-8")
            if self.screenshots:
                keep(view_urn(page_url), await page.screenshot(), "image/png")
                keep(full_page_urn(page_url), await page.screenshot(full_page=True), "image/png")
        finally:
            await page.close()

    @staticmethod
    async def _rendered_text(page) -> str | None:
        """The page's text; None (logged) when the page is gone: the DOM is archived anyway."""
        try:
            return await page.evaluate(RENDERED_TEXT_JS)
        except Exception as exc:  # a crashed or closed page; never fatal for the capture
            log.warning("no rendered text for %s: %r", page.url, exc)
            return None
