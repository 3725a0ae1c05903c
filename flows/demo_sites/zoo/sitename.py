"""A bilingual aggregator whose every <title> is just the site name, like the pages in
../shared/seeds: no og:title, no JSON-LD; the headline is only in headings, and the site's
templates mark it up differently from story to story (EN h1 + ZH h2, ZH h1 + EN h2, one h1
"English / 中文", "English | 中文" or English<br>中文).

Furniture in class names no rule knows: "10h ago · Updated 2h ago · 更新于 2小时前" and a view
count under the headline, a "🔥 Hot 热度 88 · Quality 质量 75" line that wobbles per request,
a greeting bar, rotating related topics and a render stamp in the footer.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

from html import escape

from ..feeds import urlset
from .furniture import ago_short, ago_zh
from .layout import ZooLayout
from .newsroom import ZooStory
from .sitename_stories import GREETINGS, RELATED, STORIES

SITE_TITLE = "Frontier Brief 前沿简报"


def _headline(story: ZooStory) -> str:
    en, zh = escape(story.title["en"]), escape(story.title["zh"])
    style = story.extra["headline"]
    if style == "h1-en":
        return f'<h1 class="t-4kq">{en}</h1>\n<h2 class="t-9zs">{zh}</h2>'
    if style == "h1-zh":
        return f'<h1 class="t-4kq">{zh}</h1>\n<h2 class="t-9zs">{en}</h2>'
    if style == "slash":
        return f'<h1 class="t-4kq">{en} / {zh}</h1>'
    if style == "pipe":
        return f'<h1 class="t-4kq">{en} | {zh}</h1>'
    return f'<h1 class="t-4kq">{en}<br>{zh}</h1>'


class SiteNameSite(ZooLayout):
    name = "sitename"
    site_name = SITE_TITLE
    gone_status = 410

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    def canonical_path(self, story: ZooStory) -> str:
        return f"/posts/{story.slug}"

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/posts/([a-z0-9-]+)$", self._post),
            (r"^/sitemap\.xml$", self._sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(h, ["/admin/"], "/sitemap.xml")),
        ]

    def error_page(self, status: int) -> str:
        return (
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{SITE_TITLE}'
            '</title></head><body><div id="app"><p class="e-1x">Not found 未找到</p></div>'
            "</body></html>\n"
        )

    def _head(self) -> str:
        return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{SITE_TITLE}</title>
<link rel="icon" href="/favicon.ico">
<meta property="og:site_name" content="{SITE_TITLE}">
<link rel="stylesheet" href="/assets/index-3f2a1b9c.css">
</head>"""

    def _nav(self, tick) -> str:
        return (
            f'<div class="n-2pq"><a href="/" class="n-brand">{SITE_TITLE}</a>'
            f'<span class="n-hi">{tick.pick(GREETINGS)}</span>'
            '<a class="n-login" href="/login">登录 Sign in</a></div>'
        )

    def _footer(self, tick) -> str:
        return (
            f'<div class="f-0x">© {tick.now.year} {SITE_TITLE} · AI-assisted summaries, '
            f"human-edited · rendered {tick.now.strftime('%H:%M:%S')} · r{tick.n}</div>"
        )

    def _post(self, h, m) -> None:
        story = self.visible(h, self.newsroom.get(m.group(1)))
        if story is None:
            return
        tick = self.furniture.tick()
        with self.newsroom.lock:
            html = self._post_page(story, tick)
        self.send_html(h, html, last_modified=story.updated, compress=True, chunked=True)

    def _post_page(self, story: ZooStory, tick) -> str:
        updated = ""
        if story.updated > story.published:
            updated = (
                f" · Updated {ago_short(tick.now, story.updated)}"
                f" · 更新于 {ago_zh(tick.now, story.updated)}"
            )
        views = tick.counter(40 + story.extra["id"] % 50, 1)
        hot, quality, impact = (tick.wobble(s, salt=i) for i, s in enumerate(story.scores))
        points_en = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("en", []))
        points_zh = "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get("zh", []))
        body = []
        for p in story.paragraphs:
            body.append(f"<p>{escape(p['en'])}</p>")
            body.append(f"<p>{escape(p['zh'])}</p>")
        for c in story.corrections:
            body.append(f"<p>Correction: {escape(c['en'])}</p>")
            body.append(f"<p>更正：{escape(c['zh'])}</p>")
        related = "".join(
            f'<a class="r-8w" href="/">{escape(en)} {escape(zh)}</a>'
            for en, zh in tick.rotate(RELATED, 3)
        )
        return f"""{self._head()}
<body>
<div id="app">
{self._nav(tick)}
<div class="c-9fk2">
<div class="m-3xv"><span class="m-a">{ago_short(tick.now, story.published)}{updated}</span> <span class="m-v">{views}</span></div>
{_headline(story)}
<div class="s-7dd"><p>{escape(story.dek["en"])}</p><p>{escape(story.dek["zh"])}</p></div>
<div class="q8-sc"><span class="q8-i">🔥 Hot 热度 {hot}</span> · <span class="q8-i">Quality 质量 {quality}</span> · <span class="q8-i">Impact 影响力 {impact}</span></div>
<div class="kp-2m"><h3 class="kp-h">要点 Key points</h3><ul class="kp-l">{points_en}</ul><ul class="kp-l">{points_zh}</ul></div>
<h3 class="a-h">Analysis 深度分析</h3>
<div class="bd-7x">
{chr(10).join(body)}
</div>
<div class="r-5n"><span class="r-t">Related 相关</span>{related}</div>
</div>
{self._footer(tick)}
</div>
</body>
</html>
"""

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            items = "".join(
                f'<a class="i-6p" href="{self.canonical_path(s)}"><span class="i-t">{escape(s.title["en"])}</span>'
                f' <span class="i-z">{escape(s.title["zh"])}</span>'
                f' <span class="i-a">{ago_short(tick.now, s.published)}</span>'
                f' <span class="i-s">🔥 {tick.wobble(s.scores[0], salt=i)}</span></a>'
                for i, s in enumerate(self.live_stories())
            )  # fmt: skip
            html = f"""{self._head()}
<body><div id="app">{self._nav(tick)}<div class="l-1q">{items}</div>{self._footer(tick)}</div></body>
</html>
"""
        self.send_html(h, html, last_modified=self.listing_modified(), compress=True)

    def _sitemap(self, h, m) -> None:
        body = urlset(self.sitemap_urls(h.server.base_url))
        h.send_page(body, "application/xml; charset=utf-8", last_modified=self.listing_modified())
