"""Rendering pages in Debian's Chromium through scrapy-playwright, and logging their network.

The browser stays inside the profile: requests to other hosts or schemes are aborted before they
leave (PLAYWRIGHT_ABORT_REQUEST), so an off-site script or tracker is never fetched.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from scrapy_playwright.page import PageMethod

from archive.warc_writer import HttpExchange
from crawlers.profile import SiteProfile

log = logging.getLogger(__name__)

BROWSER_RESPONSE_HANDLER = "newsarc_on_browser_response"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("NEWSARC_CHROMIUM", "/usr/bin/chromium")


def launch_options() -> dict:
    return {"executable_path": chromium_path(), "headless": True, "args": CHROMIUM_FLAGS}


class BrowserScope:
    """Abort-predicate for Playwright requests: True means 'never let this one out'."""

    def __init__(self, profile: SiteProfile) -> None:
        self.profile = profile

    def __call__(self, request) -> bool:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return False
        blocked = not self.profile.in_scope(url)
        if blocked:
            log.info("browser request blocked (out of scope): %s", url)
        return blocked


def browser_meta(profile: SiteProfile) -> dict:
    """Request meta that renders a page and keeps it open for the recorder."""
    wait = (
        PageMethod("wait_for_selector", profile.browser.wait_for)
        if profile.browser.wait_for
        else PageMethod("wait_for_load_state", "networkidle")
    )
    return {
        "playwright": True,
        "playwright_include_page": True,
        "playwright_page_methods": [wait],
        "playwright_page_event_handlers": {"response": BROWSER_RESPONSE_HANDLER},
        "playwright_page_goto_kwargs": {
            "wait_until": "load",
            "timeout": profile.browser.timeout_seconds * 1000,
        },
    }


@dataclass(frozen=True)
class BrowserCapture:
    exchange: HttpExchange
    is_document: bool


class BrowserNetworkLog:
    """Collects every response each page loads, with bodies, until the recorder drains it."""

    def __init__(self) -> None:
        self._pending: dict[object, list[asyncio.Future]] = {}

    def on_response(self, response) -> None:
        page = response.frame.page
        task = asyncio.ensure_future(self._capture(response))
        self._pending.setdefault(page, []).append(task)

    def forget(self, page) -> None:
        for task in self._pending.pop(page, []):
            task.cancel()

    async def drain(self, page) -> list[BrowserCapture]:
        tasks = self._pending.pop(page, [])
        results = await asyncio.gather(*tasks, return_exceptions=True)
        captures = []
        for result in results:
            if isinstance(result, BaseException):
                log.warning("browser response not archived: %r", result)
            elif result is not None:
                captures.append(result)
        return captures

    async def _capture(self, response) -> BrowserCapture | None:
        request = response.request
        try:
            body = await response.body()
        except Exception:  # redirects and aborted loads have no body
            body = b""
        request_headers = await request.all_headers()
        response_headers = await response.headers_array()
        server = await response.server_addr()
        return BrowserCapture(
            exchange=HttpExchange(
                url=response.url,
                method=request.method,
                request_headers=list(request_headers.items()),
                request_body=request.post_data_buffer or b"",
                status=response.status,
                reason=response.status_text,
                response_headers=[(h["name"], h["value"]) for h in response_headers],
                body=body,
                ip_address=server["ipAddress"] if server else None,
                captured_at=datetime.now(UTC),
                content_decoded=True,
            ),
            is_document=request.resource_type == "document" and request.frame.parent_frame is None,
        )
