"""Test helpers: ReplayWeb.page's own files and a WACZ, served from loopback with range requests.

Not a test module. ReplayWeb.page is the `replaywebpage` npm package that ``./run setup`` installs
with ``npm ci`` into ``tools/replaywebpage/node_modules`` (never fetched at test time). The
player reads a WACZ by HTTP range requests (the zip's central directory, then one record at a
time), so the server answers `Range:` as the WACZ spec requires; Python's http.server does not.

    with PlayerServer(wacz) as player:
        page.goto(player.embed_url(url="http://site/story", ts="20260101120000"))
"""

from __future__ import annotations

import html
import mimetypes
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.replay import REPO_ROOT, SETUP_HINT, ReplayToolMissing

PLAYER_FILES = ("ui.js", "sw.js", "index.html")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_TYPES = {".js": "application/javascript", ".wacz": "application/wacz", ".html": "text/html"}


def replaywebpage_dir() -> Path:
    """The installed `replaywebpage` package (ui.js, sw.js, index.html)."""
    root = REPO_ROOT / "tools" / "replaywebpage" / "node_modules" / "replaywebpage"
    for name in PLAYER_FILES:
        if not (root / name).is_file():
            raise ReplayToolMissing(f"ReplayWeb.page's {name} not found in {root}: {SETUP_HINT}")
    return root


def embed_page(**attributes: str) -> bytes:
    """A page holding one `<replay-web-page>` element (the player's documented embedding)."""
    attrs = " ".join(f'{k}="{html.escape(v)}"' for k, v in attributes.items())
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<script src='/replay/ui.js'></script>"
        "<style>html,body{margin:0;height:100%}</style></head>"
        f"<body><replay-web-page {attrs} replaybase='/replay/'"
        " style='height:100vh;display:block'></replay-web-page></body></html>"
    ).encode()


class PlayerServer:
    """Context manager: `/replay/*` = ReplayWeb.page's files, `/archive.wacz` = the WACZ, and
    `/embed?...` = an embedding page whose query string becomes the element's attributes;
    served by a thread on 127.0.0.1 (a secure context, so service workers run)."""

    def __init__(self, wacz: Path) -> None:
        self.wacz = Path(wacz)
        self.player = replaywebpage_dir()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""

    def __enter__(self) -> PlayerServer:
        handler = type("Handler", (_Handler,), {"wacz": self.wacz, "player": self.player})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def embed_url(self, **attributes: str) -> str:
        return f"{self.base_url}/embed?{urlencode({'source': '/archive.wacz', **attributes})}"


class _Handler(BaseHTTPRequestHandler):
    wacz: Path
    player: Path

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/embed":
            from urllib.parse import parse_qsl

            self._send_bytes(embed_page(**dict(parse_qsl(parts.query))), "text/html", body)
            return
        target = self._file(parts.path)
        if target is None:
            self.send_error(404)
            return
        self._send_file(target, body)

    def _file(self, path: str) -> Path | None:
        if path == "/archive.wacz":
            return self.wacz
        if path in ("/replay/", "/replay"):
            return self.player / "index.html"
        if path.startswith("/replay/"):
            candidate = (self.player / path.removeprefix("/replay/")).resolve()
            if candidate.is_file() and candidate.is_relative_to(self.player.resolve()):
                return candidate
        return None

    def _send_bytes(self, data: bytes, content_type: str, body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _send_file(self, path: Path, body: bool) -> None:
        size = path.stat().st_size
        start, end = 0, size - 1
        wanted = _RANGE.match(self.headers.get("Range", "").strip())
        if wanted and (wanted.group(1) or wanted.group(2)):
            if wanted.group(1):
                start = int(wanted.group(1))
                end = min(int(wanted.group(2) or end), size - 1)
            else:  # a suffix: the last N bytes
                start = max(size - int(wanted.group(2)), 0)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        content_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        self.send_header("Content-Type", content_type or "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if path.name == "sw.js":
            self.send_header("Service-Worker-Allowed", "/")
        self.end_headers()
        if not body:
            return
        with open(path, "rb") as fh:
            fh.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = fh.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
