"""Scope is enforced, not hoped for: a hostile site (flows/demo_sites/hostile.py) tries every way a
page has to reach a host outside the profile, and a canary on 127.0.0.66 sees nothing arrive,
from Chromium or from Scrapy. An unguarded Chromium on the same pages does reach the canary, so
the fixture is known to bite. Chromium runs sandboxed as an unprivileged user.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from playwright.async_api import async_playwright
from warcio.archiveiterator import ArchiveIterator

from crawlers.browser import launch_options
from crawlers.chromium_sandbox import chromium_start
from crawlers.network_scope import NetworkScope
from crawlers.profile import SiteProfile
from crawlers.scope_proxy import ScopeProxy
from flows.demo_sites.hostile import (
    BROWSER_ATTACKS,
    CANARY_HOST,
    HOST,
    SCRAPY_ATTACKS,
    UDP_ATTACKS,
    HostileSites,
)
from flows.pipeline import archive_profiles
from tests.catalog_queries import query
from tests.warc_validation import assert_valid_warc

pytestmark = pytest.mark.slow

ATTACK_PAGES = ["everything", "form", "meta-refresh", "location", "redirect"]
# What an unguarded headless Chromium (sandboxed, no proxy, no blocking) sends to the canary
# from these pages: the fixture's proof that each of these attacks is real. (A preconnect and a
# DNS prefetch to an address open nothing even there; the crawl is checked against them all.)
REACHES_AN_UNGUARDED_BROWSER = {
    "fetch", "xhr", "websocket", "eventsource", "sw-install", "sw-activate", "sw-fetch",
    "shared-worker", "worker", "window-open", "popup-click", "iframe", "form", "beacon",
    "ping", "prefetch", "img", "script", "css", "meta-refresh", "location",
    "redirect", "same-host-port", "webrtc-stun", "webrtc-turn", "webtransport",
}  # fmt: skip


@pytest.fixture(scope="module")
def hostile():
    with HostileSites() as sites:
        yield sites


@pytest.fixture(scope="module")
def unguarded_hits(hostile) -> set[str]:
    """Attacks that reach the canary from a Chromium with none of the crawl's guards."""
    asyncio.run(_browse_unguarded(hostile.base_url))
    seen = _settle(hostile)
    hostile.canary.hits.clear()
    hostile.request_log.clear()
    return seen


async def _browse_unguarded(base_url: str) -> None:
    start = chromium_start(os.environ.get("NEWSARC_CHROMIUM", "/usr/bin/chromium"))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=start.executable, args=list(start.args), chromium_sandbox=start.sandbox
        )
        try:
            page = await browser.new_page()
            for name in ATTACK_PAGES:
                try:
                    await page.goto(f"{base_url}/attack/{name}", wait_until="load", timeout=5000)
                    await page.wait_for_timeout(1500)
                except Exception:  # the attack navigated the page away: that is the point
                    pass
        finally:
            await browser.close()


def _settle(hostile, quiet_seconds: float = 1.0, limit: float = 10.0) -> set[str]:
    """The canary's attack names once no new hit has come for `quiet_seconds`."""
    deadline = time.monotonic() + limit
    count, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_count = len(hostile.canary.seen())
        if now_count != count:
            count, last_change = now_count, time.monotonic()
        elif time.monotonic() - last_change >= quiet_seconds:
            break
        time.sleep(0.1)
    return hostile.canary.attacks_seen()


@pytest.fixture(scope="module")
def crawled(hostile, unguarded_hits, tmp_path_factory):
    """One real crawl of the hostile site (Scrapy + Chromium), then ingest; the canary's hits."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    profile = hostile.write_profile(data / "profiles")
    run = archive_profiles([profile], data, timeout=180)
    assert not run.failures, run.failures
    hits = hostile.canary.seen()
    _settle(hostile)
    return data, run, hits + hostile.canary.seen()[len(hits) :]


# -- the fixture bites -----------------------------------------------------------------------
def test_an_unguarded_browser_reaches_the_canary_by_every_attack(unguarded_hits):
    assert REACHES_AN_UNGUARDED_BROWSER <= unguarded_hits, sorted(
        REACHES_AN_UNGUARDED_BROWSER - unguarded_hits
    )


# -- the crawl does not ----------------------------------------------------------------------
def test_the_canary_sees_no_connection_from_the_crawl(crawled):
    _, _, hits = crawled
    assert hits == [], hits


@pytest.mark.parametrize("attack", [*BROWSER_ATTACKS, *UDP_ATTACKS, *SCRAPY_ATTACKS])
def test_no_attack_leaves_the_scope(crawled, attack):
    _, _, hits = crawled
    assert [hit for hit in hits if hit.attack == attack] == []


def test_the_hostile_pages_were_crawled_rendered_and_archived(crawled, hostile):
    data, _, _ = crawled
    for path in sorted((data / "warcs").glob("*.warc.gz")):
        assert_valid_warc(path)
    base = hostile.base_url
    archived = {
        url
        for (url,) in query(
            data,
            "select distinct url from captures where record_type in ('response', 'resource')",
        )
    }
    assert f"{base}/" in archived
    assert f"{base}/scrapy/meta-refresh" in archived
    for name in ["everything#pinged", "form", "meta-refresh", "location"]:
        assert f"urn:dom:{base}/attack/{name}" in archived, name
    elsewhere = [url for url in archived if url.startswith("http") and not url.startswith(base)]
    assert elsewhere == []
    requested = {(entry["method"], entry["path"]) for entry in hostile.request_log}
    assert ("GET", "/scrapy/redirect") in requested, "Scrapy met the off-site redirect"
    assert ("GET", "/sw.js") not in requested, "service workers are blocked"


def test_the_rendered_page_ran_every_attack_and_stayed(crawled, hostile):
    data, _, _ = crawled
    page = f"{hostile.base_url}/attack/everything#pinged"  # the ping's click moved the fragment
    dom = _record_text(data, f"urn:dom:{page}")
    assert "still here" in dom
    tried = dom.split("tried: ", 1)[1].split("<", 1)[0]
    for attack in ["fetch", "xhr", "websocket", "eventsource", "beacon", "window-open",
                   "popup-click", "worker", "shared-worker", "service-worker", "webrtc",
                   "webtransport"]:  # fmt: skip
        assert attack in tried.split(", ") or f"{attack}:" in tried, (attack, tried)


def _record_text(data: Path, uri: str) -> str:
    for path in sorted((data / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_headers.get_header("WARC-Target-URI") == uri:
                    return record.content_stream().read().decode("utf-8")
    raise AssertionError(f"no record for {uri}")


def test_browser_records_name_the_server_not_the_proxy(crawled, hostile):
    data, _, _ = crawled
    addresses = {}
    for path in sorted((data / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    addresses[uri] = record.rec_headers.get_header("WARC-IP-Address")
    page = f"{hostile.base_url}/attack/everything"
    assert addresses[page] == HOST
    assert "127.0.0.1" not in addresses.values()


def test_refused_connections_are_logged(crawled):
    data, _, _ = crawled
    log_text = "\n".join(p.read_text() for p in (data / "logs").glob("hostile-*.log"))
    assert "scope proxy refused" in log_text
    assert "request refused, out of scope" in log_text


# -- the browser runs sandboxed, not as root -------------------------------------------------
def test_chromium_runs_sandboxed_as_an_unprivileged_user(hostile):
    processes = asyncio.run(_chromium_processes_while_rendering(hostile))
    assert processes, "no Chromium process found under this test"
    assert all(p["uid"] != 0 for p in processes), processes
    assert not [p for p in processes if "--no-sandbox" in p["cmdline"]]
    renderers = [p for p in processes if "--type=renderer" in p["cmdline"]]
    browser = next(p for p in processes if "--type=" not in p["cmdline"])
    assert renderers
    for renderer in renderers:
        assert renderer["seccomp"] == 2, "renderer runs under a seccomp-bpf filter"
        assert renderer["userns"] != browser["userns"], "renderer is in its own user namespace"


async def _chromium_processes_while_rendering(hostile) -> list[dict]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        try:
            page = await browser.new_page()
            await page.goto("data:text/html,<p>hello</p>")
            return _descendants_running("chromium")
        finally:
            await browser.close()


def _descendants_running(name: str) -> list[dict]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = dict(
                    line.split(":", 1) for line in (entry / "status").read_text().splitlines()
                )
                parents[int(entry.name)] = (int(status["PPid"]), status, entry)
            except (OSError, ValueError, KeyError):
                continue
    ours, me = [], os.getpid()
    for pid, (ppid, status, entry) in parents.items():
        ancestor, seen = ppid, 0
        while ancestor not in (me, 0, 1) and ancestor in parents and seen < 64:
            ancestor, seen = parents[ancestor][0], seen + 1
        if ancestor != me or status["Name"].strip() != name:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            userns = os.readlink(entry / "ns" / "user")
        except OSError:
            continue
        ours.append(
            {
                "pid": pid,
                "uid": int(status["Uid"].split()[1]),  # effective uid
                "seccomp": int(status["Seccomp"]),
                "userns": userns,
                "cmdline": cmdline,
            }
        )
    return ours


# -- the proxy itself, on real sockets -------------------------------------------------------
def _proxy_for(hostile) -> ScopeProxy:
    profile = SiteProfile(name="hostile", allowed_domains=[HOST], start_urls=[hostile.base_url])
    return ScopeProxy(NetworkScope.of(profile))


async def _ask(proxy: ScopeProxy, request: str) -> bytes:
    """Send `request` to the proxy and read its answer until it closes the connection."""
    reader, writer = await asyncio.open_connection(proxy.host, proxy.port)
    writer.write(request.encode("ascii"))
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


def test_the_proxy_refuses_connect_and_get_outside_the_scope(hostile):
    canary = f"{CANARY_HOST}:{hostile.canary.ports['fetch']}"
    same_host = f"{HOST}:{hostile.canary.ports['same-host-port']}"

    async def scenario():
        proxy = await _proxy_for(hostile).start()
        try:
            return proxy, {
                "connect": await _ask(proxy, f"CONNECT {canary} HTTP/1.1\r\n\r\n"),
                "connect same host": await _ask(proxy, f"CONNECT {same_host} HTTP/1.1\r\n\r\n"),
                "connect userinfo": await _ask(proxy, f"CONNECT {HOST}@{canary} HTTP/1.1\r\n\r\n"),
                "get": await _ask(proxy, f"GET http://{canary}/x HTTP/1.1\r\n\r\n"),
                "get userinfo": await _ask(proxy, f"GET http://{HOST}@{canary}/x HTTP/1.1\r\n\r\n"),
            }
        finally:
            await proxy.close()

    proxy, answers = asyncio.run(scenario())

    assert answers["connect"].startswith(b"HTTP/1.1 403 ")
    assert answers["connect same host"].startswith(b"HTTP/1.1 403 ")
    assert answers["connect userinfo"].startswith(b"HTTP/1.1 403 ")
    assert answers["get"] == b"", "a refused plain-http request is closed, never answered"
    assert answers["get userinfo"] == b""
    assert sum(proxy.refused.values()) == 5
    assert _settle(hostile, quiet_seconds=0.3) == set()


def test_the_proxy_forwards_in_scope_requests_and_knows_the_servers_address(hostile):
    site = hostile.base_url.removeprefix("http://")
    get = f"GET /in-scope.json HTTP/1.1\r\nHost: {site}\r\nConnection: close\r\n\r\n"

    async def scenario():
        proxy = await _proxy_for(hostile).start()
        try:
            plain = await _ask(proxy, get.replace("GET /", f"GET http://{site}/", 1))
            tunnel = await _ask(proxy, f"CONNECT {site} HTTP/1.1\r\n\r\n{get}")
            return proxy, plain, tunnel
        finally:
            await proxy.close()

    proxy, plain, tunnel = asyncio.run(scenario())

    assert plain.startswith(b"HTTP/1.1 200 ") and plain.endswith(b'{"in_scope": true}\n')
    assert tunnel.startswith(b"HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200 ")
    assert tunnel.endswith(b'{"in_scope": true}\n')
    assert proxy.upstream_ip(HOST, int(site.rsplit(":", 1)[1])) == HOST
    assert not proxy.refused
