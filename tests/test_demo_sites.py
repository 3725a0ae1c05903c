"""Checks that the demo news sites (flows/demo_sites) behave as the crawler tests expect."""

from __future__ import annotations

import copy
import gzip
import http.client
import json
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import tomllib
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from flows.demo_sites import DemoSites
from flows.demo_sites import expectations as expect
from flows.demo_sites.httpcore import SiteServer

ROOT = Path(__file__).resolve().parents[1]
GOV = "/story/agi-era-governance"
ARTICLE = "/articles/frontier-lab-export-rules"


@pytest.fixture
def sites():
    with DemoSites(slow_seconds=0.5) as demo:
        yield demo


def fetch(url: str, headers: dict | None = None, method: str = "GET"):
    """(status, lower-cased headers, raw body as sent minus chunk framing, response)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target or "/", headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body, resp
    finally:
        conn.close()


def text(url: str, **kw) -> str:
    status, headers, body, _ = fetch(url, **kw)
    assert status == 200, (url, status)
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8")


def control(sites: DemoSites, method: str, path: str, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(sites.control_url + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# -- listings, discovery ---------------------------------------------------------------
def test_aggregator_listing_pagination_and_links(sites):
    base = sites.base_url("aggregator")
    assert base.startswith("http://127.0.0.1:") and not base.endswith("/")
    first = text(base + "/")
    assert 'rel="next" href="/page/2"' in first
    assert "?utm_source=newsletter&amp;utm_medium=email" in first
    assert "#comments" in first
    assert "http://news.example.invalid/x" in first
    assert 'href="/private/drafts"' in first
    assert 'href="/private/story/benchmark-contamination-audit"' in first
    assert 'class="trending"' in first
    for name in ("flaky", "rate-limited", "slow", "reset", "malformed", "bomb", "huge"):
        assert f'href="/fault/{name}"' in first
    assert 'href="/old/' in first
    second = text(base + "/page/2")
    assert 'rel="next" href="/page/3"' in second and 'rel="prev" href="/"' in second
    third = text(base + "/page/3")
    assert 'rel="next"' not in third
    assert fetch(base + "/page/4")[0] == 404
    linked = re.findall(r'class="title" href="([^"]+)"', first + second + third)
    assert len(linked) == len(set(linked)) == expect.LIVE_STORY_COUNT["aggregator"] == 9
    assert "/live/live-agents" in linked
    assert {"/story/syndicated-chatbot-ads", "/story/chatbot-ads-analysis"} <= set(linked)
    pick = 'href="/story/cloud-export-battleground/?utm_campaign=x&amp;ref=home"'
    assert all(pick in page for page in (first, second, third))


def test_translated_listing_pagination(sites):
    base = sites.base_url("translated")
    assert base.startswith("http://127.0.0.2:")
    first = text(base + "/")
    assert 'rel="next" href="/?page=2"' in first
    assert 'href="/drafts/next-week"' in first
    assert 'href="/drafts/articles/voice-cloning-rules"' in first
    assert 'href="/zh/gbk-story"' in first and 'href="/en/copyright-settlement-per-book"' in first
    assert 'href="/print/articles/chatbot-ads-backlash"' in first
    assert len(re.findall(r'href="/print/', first)) == 1
    second = text(base + "/?page=2")
    assert 'rel="prev" href="/"' in second and 'rel="next"' not in second
    assert fetch(base + "/?page=3")[0] == 404


def test_robots_feeds_and_sitemaps(sites):
    agg, tr = sites.base_url("aggregator"), sites.base_url("translated")
    robots = text(agg + "/robots.txt")
    assert "User-agent: *" in robots and "Disallow: /private/" in robots
    assert f"Sitemap: {agg}/sitemap.xml" in robots
    assert fetch(agg + "/private/drafts")[0] == 200
    assert "Disallow: /drafts/" in text(tr + "/robots.txt")

    rss = ET.fromstring(text(agg + "/feed.xml"))
    items = rss.findall("./channel/item")
    assert len(items) == 9 and all(i.findtext("pubDate") for i in items)
    links = {i.findtext("link") for i in items}
    assert {agg + "/story/syndicated-chatbot-ads", agg + "/story/chatbot-ads-analysis"} <= links
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(text(agg + "/sitemap.xml"))
    assert index.tag.endswith("sitemapindex")
    child = index.find("sm:sitemap/sm:loc", ns).text
    assert index.find("sm:sitemap/sm:lastmod", ns).text
    urls = ET.fromstring(text(child))
    lastmods = {
        u.findtext("sm:loc", namespaces=ns): u.findtext("sm:lastmod", namespaces=ns)
        for u in urls.findall("sm:url", ns)
    }
    assert lastmods[agg + GOV] == "2026-11-20T06:00:00Z"
    assert agg + "/story/syndicated-chatbot-ads" in lastmods
    assert agg + "/story/chatbot-ads-analysis" in lastmods

    feed = ET.fromstring(text(tr + "/atom.xml"))
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 6
    tindex = ET.fromstring(text(tr + "/sitemap_index.xml"))
    tmap = ET.fromstring(text(tindex.find("sm:sitemap/sm:loc", ns).text))
    locs = [u.findtext("sm:loc", namespaces=ns) for u in tmap.findall("sm:url", ns)]
    assert tr + "/zh/gbk-story" in locs and tr + "/en/copyright-settlement-per-book" in locs
    assert not [u for u in locs if "/print/" in u or "/m/" in u]


# -- aggregator story pages ---------------------------------------------------------------
def test_aggregator_story_is_gzip_and_chunked(sites):
    url = sites.base_url("aggregator") + GOV
    status, headers, body, resp = fetch(url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and resp.chunked
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert headers["content-encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    assert '<h1 lang="en">Welcome to the AGI era of AI governance</h1>' in html
    assert '<h2 lang="zh">' in html and "TL;DR" in html and "<table>" in html
    assert "Deep Analysis" in html and "<dl>" in html
    assert "10h ago" in html and "Updated 2h ago" in html and "更新于 2小时前" in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<link rel="amphtml" href="/amp/story/agi-era-governance">' in html
    assert 'property="og:title"' in html
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html).group(1))
    assert ld["@type"] == "NewsArticle" and ld["dateModified"] == "2026-11-20T06:00:00Z"
    assert {"headline", "datePublished", "author", "inLanguage", "keywords"} <= ld.keys()
    # Without Accept-Encoding: identity, still chunked.
    status, headers, body, _ = fetch(url)
    assert "content-encoding" not in headers and headers["transfer-encoding"] == "chunked"
    assert b"Deep Analysis" in body


def test_aggregator_is_noisy_and_conditionals(sites):
    url = sites.base_url("aggregator") + GOV
    _, h1, b1, _ = fetch(url)
    _, h2, b2, _ = fetch(url)
    assert b1 != b2 and h1["etag"] != h2["etag"]
    assert h1["last-modified"] == "Fri, 20 Nov 2026 06:00:00 GMT"
    # The ETag always changes, so If-None-Match never matches.
    assert fetch(url, headers={"If-None-Match": h2["etag"]})[0] == 200
    # If-Modified-Since alone is honoured ...
    status, headers, body, _ = fetch(url, headers={"If-Modified-Since": h2["last-modified"]})
    assert status == 304 and body == b"" and "etag" in headers
    # ... but not when an (unmatched) If-None-Match is present.
    both = {"If-Modified-Since": h2["last-modified"], "If-None-Match": '"nope"'}
    assert fetch(url, headers=both)[0] == 200
    early = {"If-Modified-Since": "Fri, 20 Nov 2026 05:00:00 GMT"}
    assert fetch(url, headers=early)[0] == 200


def test_amp_live_and_redirect(sites):
    base = sites.base_url("aggregator")
    amp = text(base + "/amp/story/agi-era-governance")
    assert "<html amp" in amp and f'rel="canonical" href="{base}{GOV}"' in amp
    shell = text(base + "/live/live-agents")
    assert "browser agents" not in shell and 'src="/static/live.js"' in shell
    assert "/api/story/" in text(base + "/static/live.js")
    data = json.loads(text(base + "/api/story/live-agents.json"))
    assert data["title"]["zh"].startswith("直播") and data["tldr"]["en"]
    status, headers, _, _ = fetch(base + "/old/agi-era-governance")
    assert status == 301 and headers["location"] == GOV
    assert fetch(base + "/story/no-such-story")[0] == 404


# -- translated pages ---------------------------------------------------------------
def test_translated_is_quiet_and_conditionals(sites):
    url = sites.base_url("translated") + ARTICLE
    _, h1, b1, r1 = fetch(url, headers={"Accept-Encoding": "gzip"})
    _, h2, b2, _ = fetch(url)
    assert b1 == b2 and h1["etag"] == h2["etag"]
    assert "content-encoding" not in h1 and not r1.chunked
    assert int(h1["content-length"]) == len(b1)
    assert fetch(url, headers={"If-None-Match": h1["etag"]})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other", ' + h1["etag"]})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": h1["last-modified"]})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": "Wed, 18 Nov 2026 00:00:00 GMT"})[0] == 200
    assert fetch(url, headers={"If-None-Match": '"stale"'})[0] == 200
    listing = sites.base_url("translated") + "/"
    assert fetch(listing)[2] == fetch(listing)[2]


def test_translated_article_markup(sites):
    base = sites.base_url("translated")
    html = text(base + ARTICLE)
    assert re.search(r'<p lang="en">[^<]+</p>\n<p lang="zh-CN">[^<]+</p>', html)
    assert '<time datetime="2026-11-19T09:30:00+08:00">' in html
    assert (
        '<link rel="alternate" media="only screen and (max-width: 640px)" '
        f'href="{base}/m{ARTICLE}">'
    ) in html
    assert f'<link rel="canonical" href="{base}{ARTICLE}">' in html
    assert '"@type": "NewsArticle"' in html
    mobile = text(base + "/m" + ARTICLE)
    assert f'<link rel="canonical" href="{base}{ARTICLE}">' in mobile
    en = text(base + "/en/copyright-settlement-per-book")
    zh = text(base + "/zh/copyright-settlement-per-book")
    for page in (en, zh):
        for lang in ("en", "zh-CN", "x-default"):
            assert f'hreflang="{lang}"' in page
    assert '<html lang="zh-CN">' in zh and "和解" in zh
    assert fetch(base + "/articles/copyright-settlement-per-book")[0] == 404


def test_gbk_page(sites):
    status, headers, body, _ = fetch(sites.base_url("translated") + "/zh/gbk-story")
    assert status == 200 and headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("gbk")
    assert 'charset=gbk">' in page and "国产大模型价格战再度升级" in page
    assert "“断供”" in page


# -- deduplication fixtures (flows/demo_sites/expectations.py) ---------------------------------
def _without_fragment(path: str) -> str:
    return path.split("#", 1)[0]


def test_print_view_is_the_article_minus_its_canonical(sites):
    base = sites.base_url("translated")
    slug = "chatbot-ads-backlash"
    _, h_article, article, _ = fetch(f"{base}/articles/{slug}")
    status, h_print, printed, _ = fetch(f"{base}/print/articles/{slug}")
    assert status == 200 and h_print["last-modified"] == h_article["last-modified"]
    canonical = f'<link rel="canonical" href="{base}/articles/{slug}">\n'.encode()
    assert canonical in article and b'rel="canonical"' not in printed
    assert article.replace(canonical, b"") == printed
    assert fetch(f"{base}/print/articles/copyright-settlement-per-book")[0] == 404
    assert fetch(f"{base}/print/articles/model-card-standard")[0] == 404  # not out yet
    sites.remove("translated", slug)
    assert fetch(f"{base}/print/articles/{slug}")[0] == 410
    sites.restore("translated", slug)
    sites.edit_paragraph("translated", slug, 0, "en", "Edited on both views.")
    printed = fetch(f"{base}/print/articles/{slug}")[2]
    assert b"Edited on both views." in printed
    assert printed == fetch(f"{base}/articles/{slug}")[2].replace(canonical, b"")


def test_trailing_slash_variant_serves_the_story(sites):
    base = sites.base_url("aggregator")
    path = "/story/cloud-export-battleground"
    for variant in (path + "/", path + "/?utm_campaign=x&ref=home"):
        html = text(base + variant)
        assert f'<link rel="canonical" href="{base}{path}">' in html
        assert "Cloud access becomes the new export-control battleground</h1>" in html
    assert fetch(base + "/story/cloud-export-battleground//")[0] == 404
    assert fetch(base + "/story/live-agents/")[0] == 404  # a live story is under /live/


def _section(html: str, cls: str, lang: str) -> list[str]:
    block = re.search(rf'<section class="{cls}" lang="{lang}">(.*?)</section>', html, re.S)
    return re.findall(r"<p>([^<]*)</p>", block.group(1))


def test_syndicated_copy_and_topic_sibling(sites):
    agg, tr = sites.base_url("aggregator"), sites.base_url("translated")
    original = copy.deepcopy(sites.story("translated", "chatbot-ads-backlash"))
    page = text(agg + "/story/syndicated-chatbot-ads")
    for lang in ("en", "zh"):
        body = [unescape(p) for p in _section(page, "analysis", lang)]
        assert body == [p[lang] for p in original.paragraphs]
    assert f'<h1 lang="en">Syndicated: {original.title["en"]}</h1>' in page
    assert f'<h2 lang="zh">转载：{original.title["zh"]}</h2>' in page
    assert tr not in page and "/articles/chatbot-ads-backlash" not in page
    assert f'<link rel="canonical" href="{agg}/story/syndicated-chatbot-ads">' in page
    # The copy is a snapshot: editing the original does not touch it.
    sites.edit_paragraph("translated", "chatbot-ads-backlash", 0, "en", "Original edited.")
    assert "Original edited." not in text(agg + "/story/syndicated-chatbot-ads")

    sibling = sites.story("aggregator", "chatbot-ads-analysis")
    page = text(agg + "/story/chatbot-ads-analysis")
    assert "Ad-funded chatbots face a trust test</h1>" in page
    # Same topic, some shared phrases, but no shared paragraph or title: a different story.
    sibling_text = " ".join(p["en"] for p in sibling.paragraphs)
    original_text = " ".join(p["en"] for p in original.paragraphs)
    for phrase in ("labelled cards", "shopping questions", "paid subscribers"):
        assert phrase in sibling_text.lower() and phrase in original_text.lower()
    assert not {p["en"] for p in original.paragraphs} & {p["en"] for p in sibling.paragraphs}
    assert not {p["zh"] for p in original.paragraphs} & {p["zh"] for p in sibling.paragraphs}
    assert sibling.title["en"] != original.title["en"]


def expect_fault_pages() -> tuple[str, ...]:
    from flows.demo_sites.aggregator_pages import FAULT_PAGES

    return FAULT_PAGES


def test_expectations_match_the_running_sites(sites):
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    seen: dict[str, set[str]] = {"aggregator": set(), "translated": set()}
    for key, paths in expect.SAME_STORY_URL_PATHS.items():
        site, canonical = expect.split_key(key)
        base = sites.base_url(site)
        assert paths[0] == canonical, key
        group = {_without_fragment(p) for p in paths}
        seen[site].add(canonical)
        for path in paths:
            status, headers, _, _ = fetch(base + _without_fragment(path))
            if status == 301:
                assert headers["location"] in group, (key, path, headers["location"])
            else:
                assert status == 200, (key, path, status)
    for site, count in expect.LIVE_STORY_COUNT.items():
        assert len(seen[site]) == count, site
    # Every story URL the sites announce (sitemaps, feeds) belongs to one listed story.
    listed = {
        (site, path)
        for key, paths in expect.SAME_STORY_URL_PATHS.items()
        for site in [expect.split_key(key)[0]]
        for path in paths
    }
    agg, tr = sites.base_url("aggregator"), sites.base_url("translated")
    smap = ET.fromstring(text(agg + "/sitemap-stories.xml"))
    tmap = ET.fromstring(text(tr + "/sitemap-1.xml"))
    for site, base, tree in (("aggregator", agg, smap), ("translated", tr, tmap)):
        for loc in tree.findall("sm:url/sm:loc", ns):
            assert (site, loc.text.removeprefix(base)) in listed, loc.text
    for key in (*expect.SYNDICATED, *[k for pair in expect.NOT_DUPLICATES for k in pair]):
        assert key in expect.SAME_STORY_URL_PATHS, key
    for path in expect.FAULT_SAME_CONTENT:
        for _ in range(3):  # past the 503s and the 429
            status, _, body, _ = fetch(agg + path)
        assert status == 200 and f'href="{agg}{path}"'.encode() in body
    for path in expect.FAULT_NO_STORY:
        assert path.removeprefix("/fault/") in expect_fault_pages()
    for key in (*expect.SCHEDULED, *expect.DRAFTS):
        site, path = expect.split_key(key)
        assert fetch(sites.base_url(site) + path)[0] == 404
    sites.advance(hours=6)
    for key in expect.SCHEDULED:
        site, path = expect.split_key(key)
        assert fetch(sites.base_url(site) + path)[0] == 200


# -- faults ---------------------------------------------------------------
def test_flaky_and_rate_limited(sites):
    base = sites.base_url("aggregator")
    assert [fetch(base + "/fault/flaky")[0] for _ in range(3)] == [503, 503, 200]
    status, headers, _, _ = fetch(base + "/fault/rate-limited")
    assert status == 429 and headers["retry-after"] == "1"
    assert fetch(base + "/fault/rate-limited")[0] == 200
    sites.reset_faults()
    assert fetch(base + "/fault/flaky")[0] == 503


def test_slow_reset_malformed(sites):
    base = sites.base_url("aggregator")
    started = time.monotonic()
    assert fetch(base + "/fault/slow")[0] == 200
    assert time.monotonic() - started >= 0.5
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        fetch(base + "/fault/reset")
    status, _, body, _ = fetch(base + "/fault/malformed")
    assert status == 200 and b"\x00" in body and b"</div></div>" in body
    assert "本周的更新说明很简短" in body.decode("utf-8")


def test_reset_is_a_tcp_rst(sites):
    host, port = urlsplit(sites.base_url("aggregator")).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /fault/reset HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            while sock.recv(1024):
                pass


def test_bomb_huge_truncated(sites):
    base = sites.base_url("aggregator")
    status, headers, body, _ = fetch(base + "/fault/bomb")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) < 2_000_000 and int(headers["content-length"]) == len(body)
    assert struct.unpack("<I", body[-4:])[0] == 1 << 30  # ISIZE: 1 GiB
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    first = inflater.decompress(body, 5_000_000)
    assert len(first) == 5_000_000 and not first.strip(b"\x00") and inflater.unconsumed_tail

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", "/fault/huge")
    resp = conn.getresponse()
    assert int(resp.getheader("Content-Length")) == 60_000_000
    total = 0
    while chunk := resp.read(1 << 20):
        total += len(chunk)
    assert total == 60_000_000
    conn.close()

    with pytest.raises(http.client.IncompleteRead) as err:
        fetch(base + "/fault/truncated")
    assert len(err.value.partial) == 1000


# -- edits and the clock ---------------------------------------------------------------
def test_aggregator_edits_and_clock(sites):
    url = sites.base_url("aggregator") + GOV
    sites.advance(hours=1)
    assert sites.clock.now().isoformat() == "2026-11-20T09:00:00+00:00"
    assert "11h ago" in text(url) and "Updated 3h ago" in text(url)
    sites.edit_title("aggregator", "agi-era-governance", "en", "Governance gets political")
    sites.advance(seconds=7200)
    html = text(url)
    assert '<h1 lang="en">Governance gets political</h1>' in html
    assert "Updated 2h ago" in html and '"dateModified": "2026-11-20T09:00:00Z"' in html
    assert fetch(url)[1]["last-modified"] == "Fri, 20 Nov 2026 09:00:00 GMT"
    sites.add_tldr("aggregator", "agi-era-governance", "zh", "新增要点。")
    sites.append_correction("aggregator", "agi-era-governance", "A date was wrong.", "日期有误。")
    html = text(url)
    assert "<li>新增要点。</li>" in html and "Correction: A date was wrong." in html
    assert "Updated just now" in html
    data = json.loads(text(sites.base_url("aggregator") + "/api/story/live-agents.json"))
    sites.edit_paragraph("aggregator", "live-agents", 0, "en", "Rollout paused.")
    data2 = json.loads(text(sites.base_url("aggregator") + "/api/story/live-agents.json"))
    assert data["paragraphs"][0]["en"] != data2["paragraphs"][0]["en"] == "Rollout paused."


def test_translated_edit_kinds(sites):
    url = sites.base_url("translated") + ARTICLE
    _, h0, b0, _ = fetch(url)
    sites.advance(hours=1)
    assert fetch(url)[2] == b0  # the clock alone changes nothing here
    sites.silent_edit("translated", "frontier-lab-export-rules", 0, "zh", "悄悄改过的段落。")
    _, h1, b1, _ = fetch(url)
    assert b1 != b0 and h1["etag"] != h0["etag"] and h1["last-modified"] == h0["last-modified"]
    assert fetch(url, headers={"If-Modified-Since": h0["last-modified"]})[0] == 304
    assert fetch(url, headers={"If-None-Match": h0["etag"]})[0] == 200
    sites.touch_updated("translated", "frontier-lab-export-rules")
    _, h2, b2, _ = fetch(url)
    assert h2["last-modified"] == "Fri, 20 Nov 2026 09:00:00 GMT" and b2 != b1
    assert '<time datetime="2026-11-20T17:00:00+08:00">' in b2.decode()
    sites.edit_paragraph("translated", "frontier-lab-export-rules", 1, "en", "New quote.")
    sites.add_tldr("translated", "frontier-lab-export-rules", "en", "Nobody explained it.")
    sites.append_correction(
        "translated", "frontier-lab-export-rules", "Fixed a name.", "更正姓名。"
    )
    html = text(url)
    assert '<p lang="en">New quote.</p>' in html and "<li>Nobody explained it.</li>" in html
    assert "Correction: Fixed a name." in html and "更正：更正姓名。" in html
    sites.edit_title("translated", "gbk-story", "zh", "价格战降温")
    assert "价格战降温" in fetch(sites.base_url("translated") + "/zh/gbk-story")[2].decode("gbk")


def test_scheduled_and_published_stories(sites):
    tr = sites.base_url("translated")
    assert fetch(tr + "/articles/model-card-standard")[0] == 404
    before = text(tr + "/")
    assert "model-card-standard" not in before
    sites.advance(hours=6)
    assert fetch(tr + "/")[2].decode() != before
    assert "model-card-standard" in text(tr + "/")
    assert fetch(tr + "/articles/model-card-standard")[0] == 200
    assert fetch(tr + "/articles/voice-cloning-rules")[0] == 404
    sites.publish("translated", "voice-cloning-rules")
    assert fetch(tr + "/articles/voice-cloning-rules")[0] == 200
    agg = sites.base_url("aggregator")
    assert fetch(agg + "/story/benchmark-contamination-audit")[0] == 404
    sites.publish("aggregator", "benchmark-contamination-audit")
    assert "/story/benchmark-contamination-audit" in text(agg + "/")
    assert "just now" in text(agg + "/story/benchmark-contamination-audit")


def test_remove_and_restore(sites):
    agg, tr = sites.base_url("aggregator"), sites.base_url("translated")
    sites.remove("aggregator", "agi-era-governance")
    assert fetch(agg + GOV)[0] == 404
    assert GOV not in text(agg + "/feed.xml")
    sites.remove("translated", "frontier-lab-export-rules")
    assert fetch(tr + ARTICLE)[0] == 410 and fetch(tr + "/m" + ARTICLE)[0] == 410
    assert ARTICLE not in text(tr + "/")
    sites.restore("aggregator", "agi-era-governance")
    sites.restore("translated", "frontier-lab-export-rules")
    assert fetch(agg + GOV)[0] == 200 and fetch(tr + ARTICLE)[0] == 200


# -- log, control API, CLI, profiles ---------------------------------------------------------------
def test_request_log(sites):
    agg = sites.base_url("aggregator")
    fetch(agg + "/?utm_source=x", headers={"X-Probe": "1"})
    fetch(sites.base_url("translated") + ARTICLE, method="HEAD")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        fetch(agg + "/fault/reset")
    fetch(agg + GOV, headers={"If-Modified-Since": "Fri, 20 Nov 2026 07:00:00 GMT"})
    log = sites.request_log
    assert [(e["site"], e["method"], e["path"], e["status"]) for e in log] == [
        ("aggregator", "GET", "/", 200),
        ("translated", "HEAD", ARTICLE, 200),
        ("aggregator", "GET", "/fault/reset", None),
        ("aggregator", "GET", GOV, 304),
    ]
    assert log[0]["query"] == "utm_source=x" and log[0]["headers"]["x-probe"] == "1"
    times = [e["time"] for e in log]
    assert times == sorted(times) and abs(times[-1] - time.time()) < 60
    assert len(log) == 4
    log.clear()
    assert list(sites.request_log) == []
    assert sites.story("aggregator", "live-agents") is sites.aggregator.get("live-agents")


def test_control_api(sites):
    status, state = control(sites, "GET", "/state")
    assert status == 200 and state["now"].startswith("2026-11-20T08:00:00")
    assert "agi-era-governance" in state["sites"]["aggregator"]["stories"]
    assert control(sites, "POST", "/advance", {"seconds": 3600})[1]["now"].startswith(
        "2026-11-20T09:00"
    )
    edit = {
        "op": "edit_title",
        "site": "translated",
        "slug": "frontier-lab-export-rules",
        "lang": "en",
        "text": "Edited over HTTP",
    }
    assert control(sites, "POST", "/edit", edit)[0] == 200
    assert "Edited over HTTP" in text(sites.base_url("translated") + ARTICLE)
    assert control(sites, "POST", "/edit", {"op": "explode", "site": "translated"})[0] == 400
    fetch(sites.base_url("aggregator") + "/fault/flaky")
    assert control(sites, "POST", "/reset-faults", {})[0] == 200
    assert fetch(sites.base_url("aggregator") + "/fault/flaky")[0] == 503
    status, log = control(sites, "GET", "/log")
    assert status == 200 and [e["path"] for e in log][-2:] == ["/fault/flaky", "/fault/flaky"]
    assert control(sites, "GET", "/log?since=1")[1] == log[1:]


def test_write_profiles_classify_urls(sites, tmp_path):
    written = sites.write_profiles(tmp_path)
    assert set(written) == {"aggregator", "translated"}
    expect = {
        "aggregator": {
            "stories": [
                GOV,
                "/fault/bomb",
                "/live/live-agents",
                "/amp/story/agi-era-governance",
                "/story/cloud-export-battleground/?ref=home",  # utm_* already stripped
                "/private/story/benchmark-contamination-audit",  # robots must stop it
            ],
            "listings": ["/", "/page/2"],
            "browser": ["/live/live-agents"],
            "none": ["/feed.xml", "/private/drafts", "/static/live.js"],
        },
        "translated": {
            "stories": [
                ARTICLE,
                "/print" + ARTICLE,
                "/zh/gbk-story",
                "/en/copyright-settlement-per-book",
                "/drafts/articles/voice-cloning-rules",  # robots must stop it
            ],
            "listings": ["/", "/?page=2"],
            "browser": [],
            "none": ["/atom.xml", "/drafts/next-week"],
        },
    }
    for site, path in written.items():
        profile = tomllib.loads(path.read_text())
        base = sites.base_url(site)
        assert profile["name"] == f"demo-{site}" and profile["start_urls"] == [base + "/"]
        assert profile["allowed_domains"] == [urlsplit(base).hostname]
        assert profile["limits"]["max_body_bytes"] == 20_000_000
        assert profile["limits"]["timeout_seconds"] == 10
        assert profile["politeness"]["obey_robots"] is True
        assert profile["politeness"]["autothrottle"] is True
        for url in profile["feeds"] + profile["sitemaps"]:
            assert fetch(url)[0] == 200
        pats = profile["patterns"]
        for kind, paths in expect[site].items():
            for p in paths:
                hits = {
                    k
                    for k in ("stories", "listings")
                    if any(re.search(rx, base + p) for rx in pats[k])
                }
                if kind == "none":
                    assert not hits, (site, p, hits)
                elif kind == "browser":
                    assert any(re.search(rx, base + p) for rx in pats["browser"])
                else:
                    assert kind in hits, (site, p, hits)


def test_bulk_site_serves_n_stories(tmp_path):
    with DemoSites(bulk_stories=120) as demo:
        base = demo.base_url("bulk")
        assert base.startswith("http://127.0.0.3:")
        profile = tomllib.loads(demo.write_profiles(tmp_path)["bulk"].read_text())
        assert profile["name"] == "demo-bulk" and profile["start_urls"] == [base + "/"]
        page1 = text(base + "/")
        links = re.findall(r'href="(/s/\d+)"', page1)
        assert len(links) == 50 and 'rel="next" href="/list/2"' in page1
        last = text(base + "/list/3")
        assert len(re.findall(r'href="/s/\d+"', last)) == 20 and 'rel="next"' not in last
        assert fetch(base + "/list/4")[0] == 404 and fetch(base + "/s/121")[0] == 404
        assert "Disallow:\n" in text(base + "/robots.txt")

        def get(n):
            status, headers, body, _ = fetch(f"{base}/s/{n}")
            return status, headers["etag"], len(body)

        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(get, list(range(1, 121)) * 2))
        elapsed = time.monotonic() - started
        assert all(status == 200 for status, _, _ in results)
        assert all(4_000 < size < 9_000 for _, _, size in results)
        assert results[:120] == results[120:]  # stable ETags
        assert elapsed < 3, f"240 bulk requests took {elapsed:.2f}s"


def test_cli_runs_until_sigterm(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flows.demo_sites",
            "--bulk-stories",
            "10",
            "--profiles-out",
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert {"aggregator", "translated", "bulk", "control_url"} <= info.keys()
        with urllib.request.urlopen(info["control_url"] + "/state", timeout=5) as resp:
            assert json.loads(resp.read())["now"].startswith("2026-11-20")
        assert (tmp_path / "demo-bulk.toml").exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_refuses_non_loopback():
    with pytest.raises(ValueError):
        SiteServer("0.0.0.0", 0, object(), site="x", clock=None)
