"""ZooSites: the site zoo on loopback (127.0.0.21-.26, partner on .28) and the edit API.

Each layout imitates the markup of one kind of real news CMS, so that change detection is
tested against page furniture it was not written together with.  Like ``DemoSites`` it owns
a ``SiteClock`` tests advance instead of sleeping, and it fills the ``zoo-*.toml`` profile
templates with this run's addresses.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..clock import SiteClock
from ..demo import fill_profiles
from ..httpcore import SiteServer
from ..request_log import RequestLog
from .amp import AmpSite
from .layout import ZooLayout
from .liveblog import LiveBlogSite
from .newsroom import ZooNewsroom, ZooStory
from .nextjs import NextSite
from .partner import PartnerSite
from .portal import PortalSite
from .sitename import SiteNameSite
from .wordpress import WordPressSite

log = logging.getLogger(__name__)

LAYOUT_CLASSES = (WordPressSite, PortalSite, NextSite, AmpSite, LiveBlogSite, SiteNameSite)
LAYOUTS = tuple(cls.name for cls in LAYOUT_CLASSES)
HOSTS = {
    "wordpress": "127.0.0.21",
    "portal": "127.0.0.22",
    "nextjs": "127.0.0.23",
    "amp": "127.0.0.24",
    "live": "127.0.0.25",
    "sitename": "127.0.0.26",
    "partner": "127.0.0.28",
}


class ZooSites:
    def __init__(self, ports: dict[str, int] | None = None) -> None:
        self.ports = ports or {}
        self.clock = SiteClock()
        self.request_log = RequestLog()
        self.layouts: dict[str, ZooLayout] = {cls.name: cls(self.clock) for cls in LAYOUT_CLASSES}
        self.partner = PartnerSite(self.clock, self.layouts, self.base_url)
        self.apps: dict[str, ZooLayout] = {**self.layouts, "partner": self.partner}
        self._servers: dict[str, SiteServer] = {}
        self._threads: list[threading.Thread] = []

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> ZooSites:
        if self._servers:
            return self
        try:
            for name, app in self.apps.items():
                self._servers[name] = SiteServer(
                    HOSTS[name],
                    self.ports.get(name, 0),
                    app,
                    site=name,
                    clock=self.clock,
                    request_log=self.request_log,
                )
        except OSError:
            self.stop()
            raise
        for name, server in self._servers.items():
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"zoo-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        log.info("zoo sites up: %s", self.urls())
        return self

    def stop(self) -> None:
        servers = list(self._servers.values())
        if self._threads:
            stoppers = [threading.Thread(target=server.shutdown) for server in servers]
            for stopper in stoppers:
                stopper.start()
            for stopper in stoppers:
                stopper.join(timeout=5)
        for server in servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> ZooSites:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses and profiles --------------------------------------------------------------
    def base_url(self, site: str) -> str:
        if site not in self._servers:
            raise KeyError(f"site {site!r} is not running (started: {sorted(self._servers)})")
        return self._servers[site].base_url

    def urls(self) -> dict[str, str]:
        return {name: server.base_url for name, server in self._servers.items()}

    def url(self, site: str, slug: str) -> str:
        """The story's canonical URL (what ``articles.canonical_url`` should hold)."""
        return self.base_url(site) + self.apps[site].canonical_path(self.story(site, slug))

    def page_urls(self, site: str, slug: str) -> list[str]:
        """Every page of the story the site serves (language pages, AMP)."""
        app = self.apps[site]
        return [self.base_url(site) + p for p in app.story_paths(self.story(site, slug))]

    def write_profiles(self, directory) -> dict[str, Path]:
        """Fill the zoo-*.toml templates with this run's addresses; returns {site: path}."""
        sites = {name: (f"zoo-{name}.toml", f"zoo-{name}.toml") for name in self._servers}
        return fill_profiles(directory, sites, self.base_url, HOSTS)

    # -- clock -------------------------------------------------------------------------------
    def advance(self, seconds: float = 0.0, hours: float = 0.0):
        return self.clock.advance(seconds=seconds, hours=hours)

    # -- reading the model -------------------------------------------------------------------
    def newsroom(self, site: str) -> ZooNewsroom:
        if site not in self.apps:
            raise ValueError(f"no zoo site {site!r}; choose from {sorted(self.apps)}")
        return self.apps[site].newsroom

    def story(self, site: str, slug: str) -> ZooStory:
        story = self.newsroom(site).get(slug)
        if story is None:
            raise KeyError(f"{site} has no story {slug!r}")
        return story

    def stories(self, site: str) -> list[ZooStory]:
        """Every story of a site that has been published by now (removed ones included)."""
        now = self.clock.now()
        return [s for s in self.newsroom(site).stories() if s.is_out(now)]

    # -- edits (each one moves the story's update time, except set_extra) ---------------------
    def edit_title(self, site: str, slug: str, lang: str, text: str) -> None:
        self.newsroom(site).edit_title(slug, lang, text, self.clock.now())

    def reword(self, site: str, slug: str, index: int, lang: str, old: str, new: str) -> None:
        self.newsroom(site).reword(slug, index, lang, old, new, self.clock.now())

    def add_paragraph(self, site: str, slug: str, index: int, paragraph: dict) -> None:
        self.newsroom(site).add_paragraph(
            slug, index, {"at": self.clock.now().isoformat(), **paragraph}, self.clock.now()
        )

    def drop_paragraph(self, site: str, slug: str, index: int) -> dict:
        return self.newsroom(site).drop_paragraph(slug, index, self.clock.now())

    def edit_tldr(self, site: str, slug: str, lang: str, index: int, text: str) -> None:
        self.newsroom(site).edit_tldr(slug, lang, index, text, self.clock.now())

    def append_correction(self, site: str, slug: str, text_en: str, text_zh: str) -> None:
        self.newsroom(site).append_correction(slug, text_en, text_zh, self.clock.now())

    def touch_updated(self, site: str, slug: str) -> None:
        self.newsroom(site).touch_updated(slug, self.clock.now())

    def remove(self, site: str, slug: str) -> None:
        self.newsroom(site).remove(slug, self.clock.now())

    def restore(self, site: str, slug: str) -> None:
        self.newsroom(site).restore(slug, self.clock.now())

    def set_extra(self, site: str, slug: str, key: str, value) -> None:
        """Layout furniture kept with a story (the partner's intro line); not an edit."""
        self.newsroom(site).set_extra(slug, key, value)
