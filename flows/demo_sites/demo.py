"""DemoSites: starts the demo news sites on loopback and lets tests drive them.

Each site gets its own loopback address (127.0.0.1 / .2 / .3) so crawler profiles can use
host-based allowed_domains; the control API shares 127.0.0.1 with the aggregator but no
page ever links to it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from .aggregator import AggregatorSite
from .bulk import BulkSite
from .clock import SiteClock
from .control import ControlApp
from .httpcore import SiteServer
from .request_log import RequestLog
from .translated import TranslatedSite

log = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).parent / "profiles"
HOSTS = {"aggregator": "127.0.0.1", "translated": "127.0.0.2", "bulk": "127.0.0.3"}
CONTROL_HOST = "127.0.0.1"


def fill_profiles(directory, sites: dict[str, tuple[str, str]], base_url, hosts) -> dict[str, Path]:
    """Write each site's profile template (`sites`: name -> (template, written file name)) with
    `{base_url}` and `{host}` filled in; returns {site: path}."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (template, file_name) in sites.items():
        text = (PROFILE_DIR / template).read_text(encoding="utf-8")
        path = out / file_name
        path.write_text(
            text.replace("{base_url}", base_url(name)).replace("{host}", hosts[name]),
            encoding="utf-8",
        )
        written[name] = path
    return written


class DemoSites:
    def __init__(
        self,
        bulk_stories: int = 0,
        slow_seconds: float = 3.0,
        ports: dict[str, int] | None = None,
    ) -> None:
        """`ports` pins a site to a port (the CLI demo does, so re-runs hit the same URLs);
        unnamed sites get a free port."""
        self.ports = ports or {}
        self.clock = SiteClock()
        self._log = RequestLog()
        self.slow_seconds = slow_seconds
        self.apps: dict = {
            "aggregator": AggregatorSite(self.clock, slow_seconds),
            "translated": TranslatedSite(self.clock),
        }
        if bulk_stories > 0:
            self.apps["bulk"] = BulkSite(self.clock, bulk_stories)
        self._servers: dict[str, SiteServer] = {}
        self._threads: list[threading.Thread] = []
        self._control: SiteServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> DemoSites:
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
                    request_log=self._log,
                )
            self._control = SiteServer(
                CONTROL_HOST, 0, ControlApp(self), site="control", clock=self.clock
            )
        except OSError:
            self.stop()
            raise
        for name, server in [*self._servers.items(), ("control", self._control)]:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"demo-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        log.info("demo sites up: %s", {n: s.base_url for n, s in self._servers.items()})
        return self

    def stop(self) -> None:
        servers = [*self._servers.values(), *([self._control] if self._control else [])]
        if self._threads:
            # shutdown() blocks for up to one poll interval; stop all servers concurrently.
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
        self._control = None

    def __enter__(self) -> DemoSites:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------
    def base_url(self, site: str) -> str:
        if site not in self._servers:
            raise KeyError(f"site {site!r} is not running (started: {sorted(self._servers)})")
        return self._servers[site].base_url

    @property
    def control_url(self) -> str:
        if self._control is None:
            raise RuntimeError("DemoSites not started")
        return self._control.base_url

    def urls(self) -> dict[str, str]:
        return {**{n: s.base_url for n, s in self._servers.items()}, "control": self.control_url}

    def write_profiles(self, directory) -> dict[str, Path]:
        """Fill the profile templates with this run's addresses; returns {site: path}."""
        sites = {name: (f"{name}.toml", f"demo-{name}.toml") for name in self._servers}
        return fill_profiles(directory, sites, self.base_url, HOSTS)

    # -- clock and log -----------------------------------------------------------------------
    def advance(self, seconds: float = 0.0, hours: float = 0.0):
        return self.clock.advance(seconds=seconds, hours=hours)

    @property
    def request_log(self) -> RequestLog:
        """Live, list-like log of every site request; ``.clear()`` empties it."""
        return self._log

    def request_log_since(self, since: int = 0) -> list[dict]:
        return self._log.snapshot(since)

    def clear_request_log(self) -> None:
        self._log.clear()

    def reset_faults(self) -> None:
        self.apps["aggregator"].reset_faults()

    def state(self) -> dict:
        return {
            "now": self.clock.now().isoformat(),
            "urls": self.urls() if self._control else {},
            "requests": len(self._log),
            "faults": self.apps["aggregator"].faults.state(),
            "sites": {
                name: {"stories": app.newsroom.state()}
                for name, app in self.apps.items()
                if hasattr(app, "newsroom")
            },
        }

    # -- reading the model -------------------------------------------------------------------
    def story(self, site: str, slug: str):
        """The live model object (``.title["en"]`` etc.) of a story, for assertions."""
        story = self._newsroom(site).get(slug)
        if story is None:
            raise KeyError(f"{site} has no story {slug!r}")
        return story

    @property
    def aggregator(self):
        """The aggregator's Newsroom (``.get(slug)``, ``.live(now)``)."""
        return self.apps["aggregator"].newsroom

    @property
    def translated(self):
        return self.apps["translated"].newsroom

    # -- edits -------------------------------------------------------------------------------
    def _newsroom(self, site: str):
        app = self.apps.get(site)
        if app is None or not hasattr(app, "newsroom"):
            raise ValueError(f"site {site!r} has no editable stories")
        return app.newsroom

    def publish(self, site: str, slug: str) -> None:
        self._newsroom(site).publish(slug, self.clock.now())

    def edit_title(self, site: str, slug: str, lang: str, text: str) -> None:
        self._newsroom(site).edit_title(slug, lang, text, self.clock.now())

    def edit_paragraph(self, site: str, slug: str, index: int, lang: str, text: str) -> None:
        self._newsroom(site).edit_paragraph(slug, int(index), lang, text, self.clock.now())

    def add_tldr(self, site: str, slug: str, lang: str, text: str) -> None:
        self._newsroom(site).add_tldr(slug, lang, text, self.clock.now())

    def append_correction(self, site: str, slug: str, text_en: str, text_zh: str) -> None:
        self._newsroom(site).append_correction(slug, text_en, text_zh, self.clock.now())

    def touch_updated(self, site: str, slug: str) -> None:
        self._newsroom(site).touch_updated(slug, self.clock.now())

    def silent_edit(self, site: str, slug: str, index: int, lang: str, text: str) -> None:
        self._newsroom(site).silent_edit(slug, int(index), lang, text)

    def remove(self, site: str, slug: str) -> None:
        self._newsroom(site).remove(slug, self.clock.now())

    def restore(self, site: str, slug: str) -> None:
        self._newsroom(site).restore(slug, self.clock.now())
