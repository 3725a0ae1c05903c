"""A Next.js (pages router) newsroom whose article pages are a shell plus embedded JSON.

``/news/<slug>`` sends ``<div id="__next"></div>``, ``<title>`` with only the site name, and
the article in ``<script id="__NEXT_DATA__">``; the page chunk renders it (nextjs_bundle.py).
The profile renders these pages in Chromium.  Per request, the embedded JSON carries new
reaction counts, a rotated trending list and promo, a greeting and the server time the
"Updated 3h ago" line is counted from.  The home page is server-rendered with plain links.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

import json
from html import escape

from ..timefmt import iso_utc
from . import nextjs_bundle as bundle
from .layout import ZooLayout
from .newsroom import ZooStory
from .nextjs_stories import STORIES, TRENDING

PROMOS = [
    "Get Signal/Noise in your inbox every weekday morning.",
    "Members read without limits. Try a month for $1.",
    "New: the weekly chip briefing, free for subscribers.",
]
STATIC = {
    bundle.WEBPACK: (bundle.WEBPACK_JS, "application/javascript; charset=UTF-8"),
    bundle.FRAMEWORK: (bundle.FRAMEWORK_JS, "application/javascript; charset=UTF-8"),
    bundle.POLYFILLS: (bundle.POLYFILLS_JS, "application/javascript; charset=UTF-8"),
    bundle.PAGE_CHUNK: (bundle.PAGE_JS, "application/javascript; charset=UTF-8"),
    bundle.CSS: (bundle.CSS_TEXT, "text/css; charset=UTF-8"),
    f"/_next/static/{bundle.BUILD_ID}/_buildManifest.js": (
        b'self.__BUILD_MANIFEST={"/":[],"/news/[slug]":["static/chunks/pages/news/%5Bslug%5D-'
        b'6d1e4fbc25a0f7a2.js"]};self.__BUILD_MANIFEST_CB&&self.__BUILD_MANIFEST_CB();\n',
        "application/javascript; charset=UTF-8",
    ),
}


def _greeting(now) -> str:
    hour = now.hour
    return "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening"


def _script_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


class NextSite(ZooLayout):
    name = "nextjs"
    site_name = "Signal/Noise"

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    def canonical_path(self, story: ZooStory) -> str:
        return f"/news/{story.slug}"

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/news/([a-z0-9-]+)$", self._article),
            (r"^/_next/static/.+$", self._static),
            (r"^/sitemap\.xml$", self._sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(h, ["/api/"], "/sitemap.xml")),
        ]

    def error_page(self, status: int) -> str:
        return (
            '<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>404: This page could not be '
            'found</title></head><body><div id="__next"><div style="height:100vh;display:flex">'
            '<h1 class="next-error-h1">404</h1><h2>This page could not be found.</h2></div></div>'
            "</body></html>\n"
        )

    def _static(self, h, m) -> None:
        found = STATIC.get(h.route)
        if found is None:
            self.send_error(h, 404)
            return
        body, ctype = found
        h.send_page(body, ctype, compress=True, headers=[
            ("Cache-Control", "public, max-age=31536000, immutable")])  # fmt: skip

    def _shell(self, data: dict, scripts: str = "") -> str:
        return f"""<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>Signal/Noise</title><meta name="description" content="Signal/Noise: technology news that tells the two apart."/><meta name="next-head-count" content="4"/><link rel="preload" href="{bundle.CSS}" as="style"/><link rel="stylesheet" href="{bundle.CSS}" data-n-g=""/><noscript data-n-css=""></noscript><script defer="" nomodule="" src="{bundle.POLYFILLS}"></script><script src="{bundle.WEBPACK}" defer=""></script><script src="{bundle.FRAMEWORK}" defer=""></script>{scripts}<script src="/_next/static/{bundle.BUILD_ID}/_buildManifest.js" defer=""></script><script async src="https://www.googletagmanager.invalid/gtag/js?id=G-7QX2K1"></script></head><body><div id="__next">{data.pop("_html", "")}</div><script id="__NEXT_DATA__" type="application/json">{_script_json(data)}</script></body></html>"""

    def _article(self, h, m) -> None:
        story = self.visible(h, self.newsroom.get(m.group(1)))
        if story is None:
            return
        tick = self.furniture.tick()
        base = h.server.base_url
        with self.newsroom.lock:
            article = {
                "id": story.extra["id"],
                "slug": story.slug,
                "url": base + self.canonical_path(story),
                "headline": dict(story.title),
                "dek": dict(story.dek),
                "section": {"en": story.extra["section"][0], "zh": story.extra["section"][1]},
                "author": {"name": story.author},
                "publishedAt": iso_utc(story.published),
                "updatedAt": iso_utc(story.updated),
                "keyPoints": {"en": list(story.tldr["en"]), "zh": list(story.tldr["zh"])},
                "body": [
                    {"type": "paragraph", "en": p["en"], "zh": p["zh"]} for p in story.paragraphs
                ],  # fmt: skip
                "corrections": [{"en": c["en"], "zh": c["zh"]} for c in story.corrections],
                "tags": list(story.tags),
            }
        data = {
            "props": {
                "pageProps": {
                    "article": article,
                    "serverTime": iso_utc(tick.now),
                    "greeting": _greeting(tick.now),
                    "reactions": {
                        "\U0001f44d": tick.counter(120 + len(story.slug), 2),
                        "\U0001f92f": tick.counter(31, 1),
                        "\U0001f914": tick.wobble(14, salt=3),
                    },
                    "trending": [{"title": t, "slug": s} for t, s in tick.rotate(TRENDING, 4)],
                    "promo": tick.pick(PROMOS),
                },
                "__N_SSP": True,
            },
            "page": "/news/[slug]",
            "query": {"slug": story.slug},
            "buildId": bundle.BUILD_ID,
            "isFallback": False,
            "gssp": True,
            "scriptLoader": [],
        }
        scripts = f'<script src="{bundle.PAGE_CHUNK}" defer=""></script>'
        self.send_html(h, self._shell(data, scripts), last_modified=story.updated, compress=True)

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            live = self.live_stories()
            cards = "".join(
                f'<a class="Card_root__t4Mz8" href="{self.canonical_path(s)}"><h2 class="Card_title__Wq2e5">'
                f'{escape(s.title["en"])}</h2><p class="Card_titleZh__p0Hs3" lang="zh-CN">{escape(s.title["zh"])}</p>'
                f'<p class="Card_dek__Nf7c1">{escape(s.dek["en"])}</p></a>'
                for s in live
            )  # fmt: skip
            html = (
                '<div class="layout_root__Qm3x1"><header class="Header_bar__9fKx2">'
                '<a class="Header_logo__d81Lm" href="/">Signal/Noise</a>'
                f'<span class="Header_greeting__kP2x7">{_greeting(tick.now)}</span></header>'
                f'<main class="Home_grid__Xc2v9">{cards}</main>'
                f'<footer class="Footer_root__P1d0s">\u00a9 {tick.now.year} Signal/Noise Media'
                f" \u00b7 {tick.counter(1800, 3):,} reading now</footer></div>"
            )
            data = {
                "_html": html,
                "props": {"pageProps": {"items": [s.slug for s in live],
                                        "serverTime": iso_utc(tick.now)}, "__N_SSP": True},
                "page": "/", "query": {}, "buildId": bundle.BUILD_ID, "gssp": True,
                "scriptLoader": [],
            }  # fmt: skip
        self.send_html(h, self._shell(data), last_modified=self.listing_modified(), compress=True)

    def _sitemap(self, h, m) -> None:
        urls = "".join(
            f"<url><loc>{escape(u)}</loc><lastmod>{iso_utc(t)}</lastmod></url>"
            for u, t in self.sitemap_urls(h.server.base_url)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        ).encode()
        h.send_page(body, "application/xml", last_modified=self.listing_modified())
