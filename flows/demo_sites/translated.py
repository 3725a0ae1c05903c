"""Routing for the demo translated-news site (quiet: identical bytes until content changes).

Responses are plain Content-Length bodies with a content-hash ETag, so a recorder that
revisits can get a 304 or an identical payload digest.  Removed stories answer 410 Gone.
"""

from __future__ import annotations

import logging
import math
import re
from urllib.parse import parse_qs

from . import translated_pages as pages
from .feeds import atom, robots, sitemap_index, urlset
from .httpcore import DemoHandler
from .model import Newsroom, Story, story_from_dict
from .stories_translated import STORIES
from .timefmt import parse_iso

log = logging.getLogger(__name__)

PER_PAGE = 5
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

_ARTICLE = re.compile(r"^/articles/([a-z0-9-]+)$")
_MOBILE = re.compile(r"^/m/articles/([a-z0-9-]+)$")
_PRINT = re.compile(r"^/print/articles/([a-z0-9-]+)$")
_LANG = re.compile(r"^/(en|zh)/([a-z0-9-]+)$")


class TranslatedSite:
    name = "translated"

    def __init__(self, clock) -> None:
        self.clock = clock
        self.newsroom = Newsroom([story_from_dict(s, parse_iso) for s in STORIES])

    def _lookup(self, h: DemoHandler, slug: str, kinds: tuple[str, ...]) -> Story | None:
        """The story if servable; otherwise the 404/410 has already been sent."""
        story = self.newsroom.get(slug)
        if story is None or story.kind not in kinds or not story.is_out(self.clock.now()):
            h.send_simple(404, pages.simple_page("Not found", "No such article."), HTML)
            return None
        if story.removed:
            h.send_simple(410, pages.simple_page("Gone", "This article was removed."), HTML)
            return None
        return story

    def handle(self, h: DemoHandler) -> None:
        path = h.route
        base = h.server.base_url
        if h.command == "POST":
            h.send_simple(405, b"method not allowed\n", headers=[("Allow", "GET, HEAD")])
        elif path == "/":
            self._listing(h)
        elif m := _ARTICLE.match(path):
            if story := self._lookup(h, m.group(1), ("article",)):
                with self.newsroom.lock:
                    body = pages.article_page(story, base)
                h.send_page(body, HTML, last_modified=story.updated)
        elif m := _MOBILE.match(path):
            if story := self._lookup(h, m.group(1), ("article",)):
                with self.newsroom.lock:
                    body = pages.mobile_page(story, base)
                h.send_page(body, HTML, last_modified=story.updated)
        elif m := _PRINT.match(path):
            if story := self._lookup(h, m.group(1), ("article",)):
                with self.newsroom.lock:
                    body = pages.print_page(story, base)
                h.send_page(body, HTML, last_modified=story.updated)
        elif m := _LANG.match(path):
            lang, slug = m.groups()
            kinds = ("split", "gbk") if lang == "zh" else ("split",)
            if story := self._lookup(h, slug, kinds):
                with self.newsroom.lock:
                    body = pages.single_language_page(story, lang, base)
                # The GBK page declares its charset only in <meta>, like many old CMSes.
                ctype = "text/html" if story.kind == "gbk" else HTML
                h.send_page(body, ctype, last_modified=story.updated)
        elif path == "/atom.xml":
            self._atom(h)
        elif path == "/sitemap_index.xml":
            modified = self.newsroom.listing_modified(self.clock.now())
            maps = [(base + "/sitemap-1.xml", modified)] if modified else []
            h.send_page(sitemap_index(maps), XML, last_modified=modified)
        elif path == "/sitemap-1.xml":
            now = self.clock.now()
            urls = [
                (base + p, s.updated) for s in self.newsroom.live(now) for p in pages.story_paths(s)
            ]
            h.send_page(urlset(urls), XML, last_modified=self.newsroom.listing_modified(now))
        elif path == "/robots.txt":
            body = robots(["/drafts/"], base + "/sitemap_index.xml")
            h.send_page(body, "text/plain; charset=utf-8")
        elif path.startswith("/drafts/"):
            h.send_page(pages.simple_page("Next week", "Draft schedule, not for robots."), HTML)
        else:
            h.send_simple(404, pages.simple_page("Not found", "No such page."), HTML)

    def _listing(self, h: DemoHandler) -> None:
        try:
            page = int(parse_qs(h.query).get("page", ["1"])[0])
        except ValueError:
            page = 0
        now = self.clock.now()
        live = self.newsroom.live(now)
        total = max(1, math.ceil(len(live) / PER_PAGE))
        if page < 1 or page > total:
            h.send_simple(404, pages.simple_page("Not found", "No such page."), HTML)
            return
        chosen = live[(page - 1) * PER_PAGE : page * PER_PAGE]
        with self.newsroom.lock:
            body = pages.listing_page(chosen, page, total, h.server.base_url)
        h.send_page(body, HTML, last_modified=self.newsroom.listing_modified(now))

    def _atom(self, h: DemoHandler) -> None:
        now = self.clock.now()
        base = h.server.base_url
        live = self.newsroom.live(now)
        modified = self.newsroom.listing_modified(now) or now
        entries = [
            (
                s.title["en"] or s.title["zh"],
                base + pages.primary_path(s),
                s.dek["en"] or s.dek["zh"],
                s.published,
                s.updated,
            )
            for s in live
        ]
        body = atom("Bilingual Tech Review", base + "/atom.xml", base, modified, entries)
        h.send_page(body, "application/atom+xml; charset=utf-8", last_modified=modified)
