"""What every zoo site shares: a newsroom, furniture, routing, robots.txt, sitemaps, errors.

A layout subclass only says which URLs it serves and how its pages look; this base answers
the plumbing the same way for all (ETag over the bytes sent, Last-Modified from the story,
404/410 for removed stories), because that is HTTP, not CMS markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import escape

from ..feeds import robots
from ..httpcore import DemoHandler
from .furniture import Furniture
from .newsroom import ZooNewsroom, ZooStory, zoo_story

Route = tuple[re.Pattern[str], Callable[[DemoHandler, re.Match[str]], None]]


class ZooLayout:
    name = ""  # ZooSites key; the profile is "zoo-<name>"
    site_name = ""
    gone_status = 404  # what a removed story answers (WordPress 404s, some CMSes say 410)

    def __init__(self, clock, stories: list[dict]) -> None:
        self.clock = clock
        self.newsroom = ZooNewsroom([zoo_story(s) for s in stories])
        self.furniture = Furniture(clock)
        self._routes: list[Route] = [(re.compile(p), f) for p, f in self.routes()]

    # -- what a layout defines ---------------------------------------------------------------
    def routes(self) -> list[tuple[str, Callable[[DemoHandler, re.Match[str]], None]]]:
        raise NotImplementedError

    def canonical_path(self, story: ZooStory) -> str:
        raise NotImplementedError

    def story_paths(self, story: ZooStory) -> list[str]:
        """Every page of a story the sitemap lists (language pages included)."""
        return [self.canonical_path(story)]

    def error_page(self, status: int) -> str:
        title = "Page not found" if status == 404 else "Gone"
        return (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{title} – '
            f"{escape(self.site_name)}</title></head><body><h1>{title}</h1></body></html>\n"
        )

    # -- dispatch ----------------------------------------------------------------------------
    def handle(self, h: DemoHandler) -> None:
        if h.command == "POST":
            h.send_simple(405, b"method not allowed\n", headers=[("Allow", "GET, HEAD")])
            return
        for regex, handler in self._routes:
            if m := regex.match(h.route):
                handler(h, m)
                return
        self.send_error(h, 404)

    # -- helpers -----------------------------------------------------------------------------
    def visible(self, h: DemoHandler, story: ZooStory | None) -> ZooStory | None:
        """The story if a reader may see it now; otherwise the error page is already sent."""
        now = self.clock.now()
        if story is None or not story.is_out(now):
            self.send_error(h, 404)
            return None
        if story.removed:
            self.send_error(h, self.gone_status)
            return None
        return story

    def send_error(self, h: DemoHandler, status: int) -> None:
        h.send_simple(status, self.error_page(status).encode(), "text/html; charset=utf-8")

    def send_html(
        self,
        h: DemoHandler,
        html: str,
        *,
        last_modified: datetime | None = None,
        charset: str = "utf-8",
        declare_charset: bool = True,
        compress: bool = False,
        chunked: bool = False,
    ) -> None:
        """Encode once, here; ``declare_charset=False`` leaves it to the page's <meta>."""
        ctype = f"text/html; charset={charset.upper() if charset != 'utf-8' else charset}"
        h.send_page(
            html.encode(charset),
            ctype if declare_charset else "text/html",
            last_modified=last_modified,
            compress=compress,
            chunked=chunked,
        )

    def live_stories(self) -> list[ZooStory]:
        return self.newsroom.live(self.clock.now())

    def listing_modified(self) -> datetime | None:
        return self.newsroom.listing_modified(self.clock.now())

    def sitemap_urls(self, base_url: str) -> list[tuple[str, datetime]]:
        return [
            (base_url + path, story.updated)
            for story in self.live_stories()
            for path in self.story_paths(story)
        ]

    def send_robots(self, h: DemoHandler, disallow: list[str], sitemap_path: str) -> None:
        body = robots(disallow, h.server.base_url + sitemap_path)
        h.send_page(body, "text/plain; charset=utf-8")
