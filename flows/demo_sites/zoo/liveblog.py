"""A live blog in the style of big newspapers' live pages: one page of timestamped entries,
newest first, with schema.org ``LiveBlogPosting`` JSON-LD listing them as ``liveBlogUpdate``.

Each entry shows a relative time in both languages ("5 min ago", "5分钟前") next to its
absolute time, so every entry's header moves with the clock.  Above them: a LIVE badge,
"1,234 watching", and a "3 new updates — click to refresh" bar whose count changes on every
request.  A real edit here is a new entry, a reworded entry or a dropped one.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

import json
from datetime import timedelta
from html import escape

from ..feeds import urlset
from ..timefmt import iso_utc, parse_iso
from .furniture import ago_min, ago_zh
from .layout import ZooLayout
from .liveblog_stories import STORIES
from .newsroom import ZooStory


def _entry_time(entry: dict, story: ZooStory):
    return parse_iso(entry["at"]) if "at" in entry else story.published


class LiveBlogSite(ZooLayout):
    name = "live"
    site_name = "The Wire Desk"

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    def canonical_path(self, story: ZooStory) -> str:
        return f"/technology/live/{story.extra['date']}/{story.slug}"

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/technology/live/(\d{4})/([a-z]{3})/(\d{2})/([a-z0-9-]+)$", self._live),
            (r"^/sitemaps/news\.xml$", self._sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(
                h, ["/preference/", "/email-newsletters"], "/sitemaps/news.xml")),
        ]  # fmt: skip

    def _find(self, m) -> ZooStory | None:
        story = self.newsroom.get(m.group(4))
        if story is None or story.extra["date"] != "/".join(m.group(1, 2, 3)):
            return None
        return story

    def _live(self, h, m) -> None:
        story = self.visible(h, self._find(m))
        if story is None:
            return
        tick = self.furniture.tick()
        with self.newsroom.lock:
            html = self._page(story, h.server.base_url, tick)
        self.send_html(h, html, last_modified=story.updated, chunked=True)

    def _json_ld(self, story: ZooStory, url: str, entries: list[dict]) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting",
            "@id": url,
            "url": url,
            "headline": story.title["en"],
            "description": story.dek["en"],
            "datePublished": iso_utc(story.published),
            "dateModified": iso_utc(story.updated),
            "coverageStartTime": iso_utc(story.published),
            "coverageEndTime": iso_utc(story.published + timedelta(hours=14)),
            "author": [{"@type": "Person", "name": story.author}],
            "publisher": {"@type": "NewsMediaOrganization", "name": "The Wire Desk"},
            "liveBlogUpdate": [
                {
                    "@type": "BlogPosting",
                    "headline": e["en"].split(". ")[0][:110],
                    "url": f"{url}#block-{self._block_id(story, e)}",
                    "datePublished": iso_utc(_entry_time(e, story)),
                    "articleBody": e["en"],
                }
                for e in entries
            ],
        }
        return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")

    def _block_id(self, story: ZooStory, entry: dict) -> str:
        return f"{story.extra['block']}{_entry_time(entry, story).strftime('%H%M%S')}"

    def _page(self, story: ZooStory, base: str, tick) -> str:
        url = base + self.canonical_path(story)
        entries = list(reversed(story.paragraphs))  # newest first
        blocks = []
        for entry in entries:
            at = _entry_time(entry, story)
            block_id = self._block_id(story, entry)
            blocks.append(
                f'<article class="block" id="block-{block_id}" data-block-id="{block_id}">'
                f'<header class="block-header"><a class="block-time" href="#block-{block_id}">'
                f'<time datetime="{iso_utc(at)}"><span class="block-time__relative">'
                f"{ago_min(tick.now, at)}</span> "
                f'<span class="block-time__relative" lang="zh-Hans">{ago_zh(tick.now, at)}</span> '
                f'<span class="block-time__absolute">{at.strftime("%H.%M")} GMT</span></time></a>'
                "</header>"
                f'<div class="block-elements"><p>{escape(entry["en"])}</p>'
                f'<p lang="zh-Hans">{escape(entry["zh"])}</p></div>'
                '<footer class="block-footer"><button class="block-share">Share</button></footer>'
                "</article>"
            )
        key_points = ""
        if story.tldr.get("en") or story.tldr.get("zh"):
            en = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("en", []))
            zh = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("zh", []))
            key_points = (
                '<div class="liveblog-summary" data-pinned="true"><h2>Key points 要点</h2>'
                f'<ul lang="en">{en}</ul><ul lang="zh-Hans">{zh}</ul></div>'
            )
        footnotes = "".join(
            f'<p class="footnote">Correction: {escape(c["en"])}</p>'
            f'<p class="footnote" lang="zh-Hans">更正：{escape(c["zh"])}</p>'
            for c in story.corrections
        )
        new = tick.n % 5 + 1
        others = "".join(
            f'<li><a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a></li>'
            for s in tick.rotate([s for s in self.live_stories() if s.slug != story.slug])
        )
        latest = _entry_time(entries[0], story) if entries else story.updated
        return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{escape(story.title["en"])} | Technology | The Wire Desk</title>
<meta name="description" content="{escape(story.dek["en"])}">
<link rel="canonical" href="{url}">
<meta property="og:title" content="{escape(story.title["en"])}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{iso_utc(story.published)}">
<meta property="article:modified_time" content="{iso_utc(story.updated)}">
<script type="application/ld+json">{self._json_ld(story, url, entries)}</script>
</head>
<body>
<div class="top-bar"><a href="/preference/edition/uk">UK edition</a> · <a href="/signin">Sign in</a> · <a href="/support">Support us</a></div>
<header class="masthead"><a href="/" class="logo">The Wire Desk 快讯台</a></header>
<main id="maincontent">
<div class="live-header">
<span class="badge-live" aria-label="live">LIVE</span>
<span class="watching">{tick.counter(1234, 17):,} watching</span>
<span class="last-updated">Last updated {latest.strftime("%H.%M")} GMT</span>
</div>
<h1 class="headline">{escape(story.title["en"])}</h1>
<h2 class="headline-zh" lang="zh-Hans">{escape(story.title["zh"])}</h2>
<div class="standfirst"><p>{escape(story.dek["en"])}</p><p lang="zh-Hans">{escape(story.dek["zh"])}</p></div>
<p class="byline">{escape(story.author)} · Thu 20 Nov 2026</p>
{key_points}
<div class="toast" role="status"><button>{new} new update{"s" if new > 1 else ""} — click to refresh</button> <span lang="zh-Hans">有{new}条新动态，点击刷新</span></div>
<div id="liveblog-body" class="liveblog-body">
{chr(10).join(blocks)}
</div>
<div class="liveblog-footnotes">{footnotes}</div>
<aside class="more-live"><h3>More live coverage</h3><ul>{others}</ul></aside>
</main>
<footer class="footer">&copy; {tick.now.year} The Wire Desk Media Group. All rights reserved.</footer>
</body>
</html>
"""

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            items = "".join(
                f'<li class="fc-item"><span class="badge-live">LIVE</span> '
                f'<a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a> '
                f'<span class="fc-age">{ago_min(tick.now, s.updated)}</span></li>'
                for s in self.live_stories()
            )
            html = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Technology | The Wire Desk</title>
<link rel="canonical" href="{h.server.base_url}/"></head>
<body><header class="masthead"><a href="/" class="logo">The Wire Desk 快讯台</a></header>
<main><ul class="fc-container">{items}</ul></main>
<footer class="footer">&copy; {tick.now.year} The Wire Desk Media Group</footer></body></html>
"""
        self.send_html(h, html, last_modified=self.listing_modified(), chunked=True)

    def _sitemap(self, h, m) -> None:
        body = urlset(self.sitemap_urls(h.server.base_url))
        h.send_page(body, "application/xml; charset=utf-8", last_modified=self.listing_modified())
