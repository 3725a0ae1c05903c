"""Rendering pages in Debian's Chromium through scrapy-playwright, and logging their network.

The browser stays inside the profile, enforced where a page cannot get around it: Chromium's
every connection, loopback included, goes through the crawl's scope proxy (crawlers/
scope_proxy.py), which refuses any host:port outside the profile. Around that: requests to
other hosts are aborted before they leave (PLAYWRIGHT_ABORT_REQUEST), service workers are
blocked, popups closed, WebRTC kept off UDP and Chromium does no DNS of its own. Chromium runs
sandboxed as an unprivileged user (crawlers/chromium_sandbox.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlsplit

from scrapy_playwright.page import PageMethod
from scrapy_playwright.provider import PlaywrightBrowserProvider

from archive.warc.writer import HttpExchange
from crawlers.chromium_sandbox import chromium_start
from crawlers.network_scope import NetworkScope
from crawlers.profile import SiteProfile
from crawlers.scope_proxy import ScopeProxy

log = logging.getLogger(__name__)

BROWSER_RESPONSE_HANDLER = "newsarc_on_browser_response"
SCOPE_PROXY_SETTING = "NEWSARC_SCOPE_PROXY"
CHROMIUM_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every name is resolved by the proxy, after its scope check; Chromium resolves none, so a
    # DNS prefetch or a WebRTC host candidate cannot leak a name to a resolver.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    # WebRTC may not send UDP around the proxy (STUN/TURN to any address).
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# Chromium bypasses a proxy for loopback unless told not to; the sites we test on are loopback.
NO_PROXY_BYPASS = "--proxy-bypass-list=<-loopback>"
CONTEXT_OPTIONS = {"service_workers": "block"}


def chromium_path() -> str:
    return os.environ.get("NEWSARC_CHROMIUM", "/usr/bin/chromium")


def launch_options() -> dict:
    start = chromium_start(chromium_path())
    return {
        "executable_path": start.executable,
        "headless": True,
        "chromium_sandbox": start.sandbox,
        "args": [*start.args, *CHROMIUM_FLAGS],
    }


def proxy_flags(proxy: ScopeProxy) -> list[str]:
    return [f"--proxy-server={proxy.url}", NO_PROXY_BYPASS]


def browser_settings(profile: SiteProfile) -> dict:
    """The scrapy-playwright settings of a crawl: one scope proxy for its browser's lifetime."""
    proxy = ScopeProxy(NetworkScope.of(profile))
    return {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(),
        "PLAYWRIGHT_BROWSER_PROVIDER": partial(ScopedBrowserProvider, proxy=proxy),
        "PLAYWRIGHT_ABORT_REQUEST": BrowserScope(profile),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": profile.browser.timeout_seconds * 1000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        SCOPE_PROXY_SETTING: proxy,
    }


class ScopedBrowserProvider(PlaywrightBrowserProvider):
    """Launches Chromium with the scope proxy as its only way out; the proxy lives as long."""

    def __init__(self, config, proxy: ScopeProxy) -> None:
        super().__init__(config)
        self.proxy = proxy

    async def launch_browser(self):
        if self.config.cdp_url or self.config.connect_url:
            raise RuntimeError("newsarc launches its own Chromium; a remote browser has no scope")
        await self.proxy.start()
        options = dict(self.config.launch_options)
        options["args"] = [*options.get("args", []), *proxy_flags(self.proxy)]
        log.info(
            "launching %s, all traffic through %s",
            chromium_start(chromium_path()).describe(),
            self.proxy.url,
        )
        return await self.browser_type.launch(**options)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            await self.proxy.close()


class PageGuard:
    """scrapy-playwright's page init callback: what a page may not do to the window it is in.

    It may not keep a window it opens (popups are closed), and may not take itself away: an
    out-of-scope navigation (a form, a meta refresh, `location = ...`) is cancelled as if the
    page had never asked, so the page stays and is archived as it is, not as an error page.
    """

    def __init__(self, profile: SiteProfile) -> None:
        self.profile = profile

    async def __call__(self, page, request) -> None:
        page.on("popup", _close_popup)
        # Registered after scrapy-playwright's own route, so asked first; fallback() hands
        # everything else on to it (and to PLAYWRIGHT_ABORT_REQUEST).
        await page.route("**", self._hold_navigation)

    async def _hold_navigation(self, route, request) -> None:
        if request.is_navigation_request() and not _in_scope(self.profile, request.url):
            log.info("browser navigation cancelled (out of scope): %s", request.url)
            await route.abort("aborted")
        else:
            await route.fallback()


async def _close_popup(popup) -> None:
    log.warning("browser popup closed: %s", popup.url)
    await popup.close()


def _in_scope(profile: SiteProfile, url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or profile.in_scope(url)


class BrowserScope:
    """Abort-predicate for Playwright requests: True means 'never let this one out'."""

    def __init__(self, profile: SiteProfile) -> None:
        self.profile = profile

    def __call__(self, request) -> bool:
        blocked = not _in_scope(self.profile, request.url)
        if blocked:
            log.info("browser request blocked (out of scope): %s", request.url)
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
        "playwright_context_kwargs": dict(CONTEXT_OPTIONS),
        "playwright_page_init_callback": PageGuard(profile),
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
    """Collects every response each page loads, with bodies, until the recorder drains it.

    Chromium only ever talks to the scope proxy, so the address it reports is the proxy's;
    the server's address is the one the proxy connected to, or none (never the proxy's).
    """

    def __init__(self, proxy: ScopeProxy | None = None) -> None:
        self.proxy = proxy
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
                ip_address=self._server_ip(response.url),
                captured_at=datetime.now(UTC),
                content_decoded=True,
            ),
            is_document=request.resource_type == "document" and request.frame.parent_frame is None,
        )

    def _server_ip(self, url: str) -> str | None:
        if self.proxy is None:
            return None
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        return self.proxy.upstream_ip(parts.hostname or "", port) if port else None
