"""A newspaper that serves each story twice: a normal page at /<slug>.html and an AMP page
at /amp/<slug> (``<html ⚡>``, ``amp-img``, ``amp-ad``, ``amp-social-share``), each pointing
at the other (``rel=amphtml`` / ``rel=canonical``).

Both carry "Updated 2 hours ago" and a view count; ad slots rotate sponsor copy; the normal
page adds a most-read list that reshuffles and a sign-in bar.  Removed stories answer 410.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

import json
from html import escape

from ..feeds import sitemap_index
from ..timefmt import iso_utc
from .amp_stories import SPONSORS, STORIES
from .furniture import ago_long, ago_zh
from .layout import ZooLayout
from .newsroom import ZooStory

AMP_BOILERPLATE = (
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@keyframes -amp-start{from{visibility:"
    "hidden}to{visibility:visible}}</style><noscript><style amp-boilerplate>body{-webkit-animation:"
    "none;animation:none}</style></noscript>"
)


class AmpSite(ZooLayout):
    name = "amp"
    site_name = "Daily Circuit"
    gone_status = 410

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    def canonical_path(self, story: ZooStory) -> str:
        return f"/{story.slug}.html"

    def amp_path(self, story: ZooStory) -> str:
        return f"/amp/{story.slug}"

    def story_paths(self, story: ZooStory) -> list[str]:
        return [self.canonical_path(story), self.amp_path(story)]

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/([a-z0-9-]+)\.html$", lambda h, m: self._story(h, m, amp=False)),
            (r"^/amp/([a-z0-9-]+)$", lambda h, m: self._story(h, m, amp=True)),
            (r"^/sitemap_index\.xml$", self._sitemap_index),
            (r"^/news-sitemap\.xml$", self._news_sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(
                h, ["/search", "/account/"], "/sitemap_index.xml")),
        ]  # fmt: skip

    def error_page(self, status: int) -> str:
        text = "This story has been removed." if status == 410 else "Page not found."
        return (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{text} | '
            f'Daily Circuit</title></head><body><h1>{text}</h1><a href="/">Daily Circuit home'
            "</a></body></html>\n"
        )

    # -- shared pieces -----------------------------------------------------------------------
    def _json_ld(self, story: ZooStory, base: str) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": base + self.canonical_path(story)},
            "headline": story.title["en"],
            "alternativeHeadline": story.title["zh"],
            "image": [f"{base}/media/{story.slug}-1200x675.jpg"],
            "datePublished": iso_utc(story.published),
            "dateModified": iso_utc(story.updated),
            "author": [{"@type": "Person", "name": story.author}],
            "publisher": {
                "@type": "Organization",
                "name": "Daily Circuit",
                "logo": {"@type": "ImageObject", "url": f"{base}/media/logo-600x60.png"},
            },
            "description": story.dek["en"],
        }
        return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")

    def _byline(self, story: ZooStory, tick, cls: str) -> str:
        updated = ""
        if story.updated > story.published:
            updated = (
                f' · <time class="{cls}-updated" datetime="{iso_utc(story.updated)}">Updated '
                f"{ago_long(tick.now, story.updated)}</time>"
                f' <span lang="zh">（{ago_zh(tick.now, story.updated)}更新）</span>'
            )
        published = story.published.strftime("%b %-d, %Y %-I:%M %p UTC")
        return (
            f'<div class="{cls}-byline">By <span class="{cls}-author">{escape(story.author)}</span>'
            f' · <time datetime="{iso_utc(story.published)}">{published}</time>{updated}'
            f' · <span class="{cls}-views">{tick.counter(8200 + 31 * len(story.slug), 9):,} views'
            "</span></div>"
        )

    def _summary(self, story: ZooStory, cls: str) -> str:
        if not (story.tldr.get("en") or story.tldr.get("zh")):
            return ""
        en = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("en", []))
        zh = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("zh", []))
        return (
            f'<section class="{cls}-summary"><h2>In brief</h2><ul>{en}</ul>'
            f'<h2 lang="zh">摘要</h2><ul lang="zh">{zh}</ul></section>'
        )

    def _paragraphs(self, story: ZooStory, ad) -> str:
        en = [f"<p>{escape(p['en'])}</p>" for p in story.paragraphs]
        en += [f'<p class="correction"><em>Correction: {escape(c["en"])}</em></p>'
               for c in story.corrections]  # fmt: skip
        zh = [f'<p lang="zh">{escape(p["zh"])}</p>' for p in story.paragraphs]
        zh += [f'<p class="correction" lang="zh"><em>更正：{escape(c["zh"])}</em></p>'
               for c in story.corrections]  # fmt: skip
        en.insert(min(2, len(en)), ad(0))
        zh.insert(min(2, len(zh)), ad(1))
        return "\n".join(en) + '\n<h2 class="edition-zh" lang="zh">中文版</h2>\n' + "\n".join(zh)

    # -- pages -------------------------------------------------------------------------------
    def _story(self, h, m, *, amp: bool) -> None:
        story = self.visible(h, self.newsroom.get(m.group(1)))
        if story is None:
            return
        tick = self.furniture.tick()
        base = h.server.base_url
        with self.newsroom.lock:
            html = self._amp(story, base, tick) if amp else self._normal(story, base, tick)
        self.send_html(h, html, last_modified=story.updated, compress=True)

    def _amp(self, story: ZooStory, base: str, tick) -> str:
        def ad(i: int) -> str:
            return (
                f'<amp-ad width="300" height="250" layout="responsive" type="doubleclick" '
                f'data-slot="/21775744923/dailycircuit/article_{i}"><div fallback>'
                f"{escape(tick.pick(SPONSORS, salt=i))}</div></amp-ad>"
            )

        share = "".join(
            f'<amp-social-share type="{kind}" width="40" height="40"></amp-social-share>'
            for kind in ("twitter", "facebook", "linkedin", "email")
        )
        return f"""<!doctype html>
<html ⚡ lang="en">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.invalid/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.invalid/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.invalid/v0/amp-social-share-0.1.js"></script>
<title>{escape(story.title["en"])} - Daily Circuit</title>
<link rel="canonical" href="{base}{self.canonical_path(story)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<script type="application/ld+json">{self._json_ld(story, base)}</script>
{AMP_BOILERPLATE}
<style amp-custom>.amp-header{{background:#0b3d91;color:#fff}}.amp-views{{color:#777}}</style>
</head>
<body>
<header class="amp-header"><a href="{base}/">Daily Circuit 电路日报</a></header>
<article class="amp-article">
<h1 class="amp-headline">{escape(story.title["en"])}</h1>
<h2 class="amp-headline-zh" lang="zh">{escape(story.title["zh"])}</h2>
<p class="amp-dek">{escape(story.dek["en"])}</p>
<p class="amp-dek" lang="zh">{escape(story.dek["zh"])}</p>
{self._byline(story, tick, "amp")}
<amp-img src="/media/{story.slug}-1200x675.jpg" width="1200" height="675" layout="responsive" alt=""></amp-img>
<div class="amp-share">{share}</div>
{self._summary(story, "amp")}
<div class="amp-body">
{self._paragraphs(story, ad)}
</div>
</article>
<footer class="amp-footer">&copy; {tick.now.year} Daily Circuit · <a href="{base}{self.canonical_path(story)}">View full site</a></footer>
</body>
</html>
"""

    def _normal(self, story: ZooStory, base: str, tick) -> str:
        def ad(i: int) -> str:
            return (
                f'<div class="ad-slot ad-slot--inline" id="div-gpt-ad-{i}" data-ad-unit="article_{i}">'
                f'<span class="ad-label">Advertisement</span><p>{escape(tick.pick(SPONSORS, salt=i))}'
                "</p></div>"
            )

        most_read = "".join(
            f'<li><a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a></li>'
            for s in tick.shuffle(self.live_stories(), 4, salt=5)
        )
        url = base + self.canonical_path(story)
        return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(story.title["en"])} - Daily Circuit</title>
<meta name="description" content="{escape(story.dek["en"])}">
<link rel="canonical" href="{url}">
<link rel="amphtml" href="{base}{self.amp_path(story)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(story.title["en"])}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{base}/media/{story.slug}-1200x675.jpg">
<meta property="article:published_time" content="{iso_utc(story.published)}">
<meta property="article:modified_time" content="{iso_utc(story.updated)}">
<script type="application/ld+json">{self._json_ld(story, base)}</script>
<script async src="https://securepubads.g.doubleclick.invalid/tag/js/gpt.js"></script>
</head>
<body class="article-page">
<div class="account-bar"><a href="/account/login">Sign in</a> · <a href="/account/subscribe">Subscribe from $2/week</a> · <span class="edition">{tick.now.strftime("%A, %B %-d, %Y")}</span></div>
<header class="masthead"><a href="/" class="logo">Daily Circuit <span lang="zh">电路日报</span></a></header>
<main class="layout">
<article class="story-body">
<h1 class="story-headline">{escape(story.title["en"])}</h1>
<h2 class="story-headline-zh" lang="zh">{escape(story.title["zh"])}</h2>
<p class="standfirst">{escape(story.dek["en"])}</p>
<p class="standfirst" lang="zh">{escape(story.dek["zh"])}</p>
{self._byline(story, tick, "story")}
<figure class="hero"><img src="/media/{story.slug}-1200x675.jpg" alt="" width="1200" height="675"></figure>
{self._summary(story, "story")}
<div class="story-text">
{self._paragraphs(story, ad)}
</div>
<div class="share-tools"><a href="https://twitter.invalid/intent/tweet?url={url}">Share</a> · <a href="mailto:?subject={escape(story.title["en"])}">Email</a></div>
</article>
<aside class="most-read"><h3>Most read</h3><ol>{most_read}</ol></aside>
</main>
<footer class="site-footer">&copy; {tick.now.year} Daily Circuit Ltd. All rights reserved.</footer>
</body>
</html>
"""

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            items = "".join(
                f'<li><a href="{self.canonical_path(s)}">{escape(s.title["en"])}</a>'
                f' <span lang="zh">{escape(s.title["zh"])}</span>'
                f' <span class="ago">{ago_long(tick.now, s.published)}</span></li>'
                for s in self.live_stories()
            )
            html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Daily Circuit – technology news</title>
<link rel="canonical" href="{h.server.base_url}/"></head>
<body><div class="account-bar"><a href="/account/login">Sign in</a> · {tick.now.strftime("%A, %B %-d, %Y")}</div>
<header class="masthead"><a href="/" class="logo">Daily Circuit</a></header>
<main><ul class="river">{items}</ul></main>
<footer>&copy; {tick.now.year} Daily Circuit Ltd.</footer></body></html>
"""
        self.send_html(h, html, last_modified=self.listing_modified(), compress=True)

    def _sitemap_index(self, h, m) -> None:
        modified = self.listing_modified()
        maps = [(h.server.base_url + "/news-sitemap.xml", modified)] if modified else []
        h.send_page(sitemap_index(maps), "application/xml; charset=utf-8", last_modified=modified)

    def _news_sitemap(self, h, m) -> None:
        base = h.server.base_url
        urls = "".join(
            f"<url><loc>{base}{self.canonical_path(s)}</loc><lastmod>{iso_utc(s.updated)}</lastmod>"
            "<news:news><news:publication><news:name>Daily Circuit</news:name>"
            "<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{iso_utc(s.published)}</news:publication_date>"
            f"<news:title>{escape(s.title['en'])}</news:title></news:news></url>"
            for s in self.live_stories()
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>\n"
        ).encode()
        h.send_page(body, "application/xml; charset=utf-8", last_modified=self.listing_modified())
