"""The partner host: Harbour Post republishes one story from several zoo layouts.

Each copy is the original's text at the time of syndication, inside the partner's own
masthead, intro line, "Most read" box and footer, with ``<link rel="canonical">`` pointing at
the original on the original host.  A copy is its own story in the archive; crawling it must
never version the original.  Copies go live hours after the originals (syndication lags).
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from html import escape

from ..feeds import urlset
from ..timefmt import iso_utc
from .layout import ZooLayout
from .newsroom import ZooStory
from .partner_stories import INTRO, STORIES, SYNDICATED, SYNDICATED_AT, WEATHER


def _copy_of(layout: ZooLayout, slug: str) -> dict:
    story = layout.newsroom.get(slug)
    if story is None:
        raise KeyError(f"{layout.name} has no story {slug!r} to syndicate")
    return {
        "slug": f"{layout.name}-{slug}",
        "kind": "copy",
        "title": copy.deepcopy(story.title),
        "dek": copy.deepcopy(story.dek),
        "paragraphs": [{"en": p["en"], "zh": p["zh"]} for p in story.paragraphs],
        "tags": list(story.tags),
        "author": story.author,
        "published": SYNDICATED_AT,
        "updated": SYNDICATED_AT,
        "extra": {
            "source": layout.name,
            "source_slug": slug,
            "source_name": layout.site_name,
            "intro": {k: v.format(source=layout.site_name) for k, v in INTRO.items()},
        },
    }


class PartnerSite(ZooLayout):
    name = "partner"
    site_name = "Harbour Post"

    def __init__(self, clock, layouts: dict[str, ZooLayout], base_url: Callable[[str], str]):
        self.layouts = layouts
        self.base_url = base_url
        copies = [_copy_of(layouts[name], slug) for name, slug in SYNDICATED]
        super().__init__(clock, STORIES + copies)

    def canonical_path(self, story: ZooStory) -> str:
        if story.kind == "copy":
            return f"/partners/{story.extra['source']}/{story.extra['source_slug']}"
        return f"/stories/{story.slug}"

    def copy_slug(self, layout: str, slug: str) -> str:
        return f"{layout}-{slug}"

    def original_url(self, story: ZooStory) -> str:
        layout = self.layouts[story.extra["source"]]
        original = layout.newsroom.get(story.extra["source_slug"])
        return self.base_url(layout.name) + layout.canonical_path(original)

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/stories/([a-z0-9-]+)$", lambda h, m: self._story(h, m.group(1), "own")),
            (r"^/partners/([a-z]+)/([a-z0-9-]+)$",
             lambda h, m: self._story(h, self.copy_slug(*m.groups()), "copy")),
            (r"^/sitemap\.xml$", self._sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(h, ["/account/"], "/sitemap.xml")),
        ]  # fmt: skip

    def _story(self, h, slug: str, kind: str) -> None:
        story = self.newsroom.get(slug)
        story = self.visible(h, story if story is not None and story.kind == kind else None)
        if story is None:
            return
        tick = self.furniture.tick()
        with self.newsroom.lock:
            html = self._page(story, h.server.base_url, tick)
        self.send_html(h, html, last_modified=story.updated, compress=True)

    def _page(self, story: ZooStory, base: str, tick) -> str:
        own_url = base + self.canonical_path(story)
        canonical = self.original_url(story) if story.kind == "copy" else own_url
        intro = ""
        if story.kind == "copy":
            intro = (
                f'<p class="hp-syndication"><a href="{canonical}">{escape(story.extra["intro"]["en"])}'
                f'</a> <span lang="zh">{escape(story.extra["intro"]["zh"])}</span></p>'
            )
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title["en"],
            "datePublished": iso_utc(story.published),
            "dateModified": iso_utc(story.updated),
            "author": {"@type": "Person", "name": story.author},
            "publisher": {"@type": "Organization", "name": "Harbour Post"},
            "url": own_url,
        }
        if story.kind == "copy":
            ld["isBasedOn"] = canonical
            ld["sourceOrganization"] = {"@type": "Organization", "name": story.extra["source_name"]}
        en = "".join(f"<p>{escape(p['en'])}</p>" for p in story.paragraphs)
        zh = "".join(f'<p lang="zh">{escape(p["zh"])}</p>' for p in story.paragraphs)
        most_read = "".join(
            f'<li><a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a></li>'
            for s in tick.shuffle(self.live_stories(), 4)
        )
        by = escape(story.author)
        if story.kind == "copy":
            by += f", {escape(story.extra['source_name'])}"
        return f"""<!DOCTYPE html>
<html lang="en-NZ">
<head>
<meta charset="utf-8">
<title>{escape(story.title["en"])} | Harbour Post</title>
<link rel="canonical" href="{canonical}">
<meta name="description" content="{escape(story.dek["en"])}">
<meta property="og:title" content="{escape(story.title["en"])}">
<meta property="og:url" content="{own_url}">
<meta property="og:site_name" content="Harbour Post">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body>
<div class="hp-topbar"><span class="hp-weather">{tick.pick(WEATHER)}</span> · <a href="/account/login">Log in</a> · <a href="/account/subscribe">Subscribe</a> · <span class="hp-online">{tick.counter(640, 3):,} readers online</span></div>
<header class="hp-masthead"><a href="/">Harbour Post <span lang="zh">港湾邮报</span></a></header>
<main class="hp-main">
<article class="hp-story">
{intro}
<h1 class="hp-title">{escape(story.title["en"])}</h1>
<h2 class="hp-title-zh" lang="zh">{escape(story.title["zh"])}</h2>
<p class="hp-by">By {by} · {story.published.strftime("%-d %B %Y")}</p>
<div class="hp-body">{en}<h3 lang="zh">中文</h3>{zh}</div>
</article>
<aside class="hp-most-read"><h3>Most read</h3><ol>{most_read}</ol></aside>
</main>
<footer class="hp-footer">&copy; {tick.now.year} Harbour Post Media Ltd · Partner content is published under licence</footer>
</body>
</html>
"""

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            items = "".join(
                f'<li><a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a>'
                + (f' <span class="hp-src">via {escape(s.extra["source_name"])}</span>'
                   if s.kind == "copy" else "")
                + "</li>"
                for s in self.live_stories()
            )  # fmt: skip
            html = f"""<!DOCTYPE html>
<html lang="en-NZ"><head><meta charset="utf-8"><title>Harbour Post</title>
<link rel="canonical" href="{h.server.base_url}/"></head>
<body><div class="hp-topbar"><span class="hp-weather">{tick.pick(WEATHER)}</span></div>
<header class="hp-masthead"><a href="/">Harbour Post</a></header>
<main><ul class="hp-river">{items}</ul></main>
<footer class="hp-footer">&copy; {tick.now.year} Harbour Post Media Ltd</footer></body></html>
"""
        self.send_html(h, html, last_modified=self.listing_modified(), compress=True)

    def _sitemap(self, h, m) -> None:
        body = urlset(self.sitemap_urls(h.server.base_url))
        h.send_page(body, "application/xml; charset=utf-8", last_modified=self.listing_modified())
