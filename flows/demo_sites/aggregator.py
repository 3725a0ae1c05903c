"""Routing for the demo aggregator site (noisy pages, gzip + chunked, /fault/ lab).

Every story request bumps a view counter, so the aggregator never answers the same bytes
twice; its ETag is over the bytes actually sent and therefore changes every time too.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time

from . import aggregator_pages as pages
from . import faults
from .feeds import robots, rss, sitemap_index, urlset
from .httpcore import DemoHandler
from .model import Newsroom, Story, story_from_dict
from .stories_aggregator import FAULT_STORY, STORIES
from .timefmt import parse_iso

log = logging.getLogger(__name__)

PER_PAGE = 3
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

# A trailing slash is the same page (listings link one story as /story/<slug>/?utm_...).
_STORY = re.compile(r"^/story/([a-z0-9-]+)/?$")
_AMP = re.compile(r"^/amp/story/([a-z0-9-]+)$")
_LIVE = re.compile(r"^/live/([a-z0-9-]+)$")
_API = re.compile(r"^/api/story/([a-z0-9-]+)\.json$")
_OLD = re.compile(r"^/old/([a-z0-9-]+)$")
_PAGE = re.compile(r"^/page/(\d+)$")
_FAULT = re.compile(r"^/fault/([a-z-]+)$")


class AggregatorSite:
    name = "aggregator"

    def __init__(self, clock, slow_seconds: float) -> None:
        self.clock = clock
        self.slow_seconds = slow_seconds
        self.newsroom = Newsroom([story_from_dict(s, parse_iso) for s in STORIES])
        self.fault_stories = {
            name: story_from_dict(dict(FAULT_STORY, slug=name), parse_iso)
            for name in pages.FAULT_PAGES
        }
        self.faults = faults.FaultCounters()
        self._listing_hits = 0
        self._hits_lock = threading.Lock()

    # -- helpers -----------------------------------------------------------------------------
    def _noise(self, story: Story | None) -> pages.Noise:
        now = self.clock.now()
        if story is None:
            with self._hits_lock:
                self._listing_hits += 1
                views = 40 + self._listing_hits
        else:
            views = 50 + self.newsroom.count_view(story)
        live = self.newsroom.live(now, kinds=("story", "live"))
        shift = views % len(live) if live else 0
        return pages.Noise(views=views, trending=(live[shift:] + live[:shift])[:4])

    def _visible(self, slug: str, kinds: tuple[str, ...]) -> Story | None:
        story = self.newsroom.get(slug)
        if story is None or story.kind not in kinds or not story.is_live(self.clock.now()):
            return None
        return story

    def _not_found(self, h: DemoHandler) -> None:
        h.send_simple(404, pages.simple_page("Not found", "No such page."), HTML)

    def _send_story(self, h: DemoHandler, story: Story) -> None:
        noise = self._noise(story)
        with self.newsroom.lock:
            body = pages.story_page(story, self.clock.now(), h.server.base_url, noise)
        h.send_page(body, HTML, last_modified=story.updated, compress=True, chunked=True)

    # -- routing -----------------------------------------------------------------------------
    def handle(self, h: DemoHandler) -> None:
        path = h.route
        if h.command == "POST":
            h.send_simple(405, b"method not allowed\n", headers=[("Allow", "GET, HEAD")])
            return
        if path == "/" or _PAGE.match(path):
            self._listing(h, 1 if path == "/" else int(_PAGE.match(path).group(1)))
        elif m := _STORY.match(path):
            story = self._visible(m.group(1), ("story",))
            self._send_story(h, story) if story else self._not_found(h)
        elif m := _AMP.match(path):
            story = self._visible(m.group(1), ("story",))
            if story is None:
                self._not_found(h)
                return
            noise = self._noise(story)
            with self.newsroom.lock:
                body = pages.amp_page(story, self.clock.now(), h.server.base_url, noise)
            h.send_page(body, HTML, last_modified=story.updated, compress=True)
        elif m := _LIVE.match(path):
            story = self._visible(m.group(1), ("live",))
            if story is None:
                self._not_found(h)
                return
            body = pages.live_shell(story.slug, h.server.base_url)
            h.send_page(body, HTML, last_modified=story.updated, compress=True, chunked=True)
        elif m := _API.match(path):
            story = self._visible(m.group(1), ("live", "story"))
            if story is None:
                self._not_found(h)
                return
            noise = self._noise(story)
            with self.newsroom.lock:
                body = pages.story_json(story, noise)
            h.send_page(body, "application/json", last_modified=story.updated, compress=True)
        elif path == "/static/live.js":
            h.send_page(pages.LIVE_JS, "application/javascript; charset=utf-8", compress=True)
        elif m := _OLD.match(path):
            story = self._visible(m.group(1), ("story", "live"))
            if story is None:
                self._not_found(h)
                return
            h.redirect(pages.story_path(story), 301)
        elif m := _FAULT.match(path):
            self._fault(h, m.group(1))
        elif path == "/feed.xml":
            self._feed(h)
        elif path == "/sitemap.xml":
            modified = self.newsroom.listing_modified(self.clock.now())
            maps = [(h.server.base_url + "/sitemap-stories.xml", modified)] if modified else []
            h.send_page(sitemap_index(maps), XML, last_modified=modified)
        elif path == "/sitemap-stories.xml":
            now = self.clock.now()
            live = self.newsroom.live(now, kinds=("story", "live"))
            body = urlset((h.server.base_url + pages.story_path(s), s.updated) for s in live)
            h.send_page(body, XML, last_modified=self.newsroom.listing_modified(now))
        elif path == "/robots.txt":
            body = robots(["/private/"], h.server.base_url + "/sitemap.xml")
            h.send_page(body, "text/plain; charset=utf-8")
        elif path.startswith("/private/"):
            h.send_page(pages.simple_page("Editor drafts", "Private. Robots may not index."), HTML)
        else:
            self._not_found(h)

    def _listing(self, h: DemoHandler, page: int) -> None:
        now = self.clock.now()
        live = self.newsroom.live(now, kinds=("story", "live"))
        pages_total = max(1, math.ceil(len(live) / PER_PAGE))
        if page == 1 and h.route != "/":
            h.redirect("/", 301)
            return
        if page < 1 or page > pages_total:
            self._not_found(h)
            return
        chosen = live[(page - 1) * PER_PAGE : page * PER_PAGE]
        noise = self._noise(None)
        pick = self._visible(pages.PICK_SLUG, ("story",))
        with self.newsroom.lock:
            body = pages.listing_page(
                chosen, page, pages_total, now, h.server.base_url, noise, pick=pick
            )
        h.send_page(body, HTML, last_modified=self.newsroom.listing_modified(now), compress=True)

    def _feed(self, h: DemoHandler) -> None:
        now = self.clock.now()
        base = h.server.base_url
        live = self.newsroom.live(now, kinds=("story", "live"))
        items = [
            (s.title["en"], base + pages.story_path(s), s.dek["en"], s.published) for s in live
        ]
        body = rss("AI News AI资讯", base + "/", items)
        h.send_page(
            body,
            "application/rss+xml; charset=utf-8",
            last_modified=self.newsroom.listing_modified(now),
        )

    # -- the fault lab -----------------------------------------------------------------------
    def _fault(self, h: DemoHandler, name: str) -> None:
        story = self.fault_stories.get(name)
        if story is None:
            self._not_found(h)
            return
        hit = self.faults.hit(name)
        if name == "flaky" and hit <= 2:
            h.send_simple(503, b"Service temporarily unavailable\n", headers=[("Retry-After", "0")])
        elif name == "rate-limited" and hit == 1:
            h.send_simple(429, b"Too many requests\n", headers=[("Retry-After", "1")])
        elif name == "slow":
            time.sleep(self.slow_seconds)
            self._send_story(h, story)
        elif name == "reset":
            h.reset_connection()
        elif name == "malformed":
            body = faults.malformed_page(story.title["en"], story.title["zh"], story.paragraphs)
            h.send_page(body, HTML, last_modified=story.updated)
        elif name == "bomb":
            headers = [("Content-Type", HTML), ("Content-Encoding", "gzip")]
            h.send_stream(200, headers, faults.bomb_chunks(), len(faults.gzip_bomb()))
        elif name == "huge":
            h.send_stream(200, [("Content-Type", HTML)], faults.huge_chunks(), faults.HUGE_BYTES)
        elif name == "truncated":
            h.send_response(200)
            h.send_header("Content-Type", HTML)
            h.send_header("Content-Length", str(faults.TRUNCATED_DECLARED))
            h.send_header("Connection", "close")
            h.end_headers()
            h.close_connection = True
            if h.command != "HEAD":
                h.wfile.write(faults.truncated_body())
        else:
            self._send_story(h, story)

    def reset_faults(self) -> None:
        self.faults.reset()
