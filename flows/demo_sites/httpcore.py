"""HTTP plumbing shared by the demo sites: a loopback server and a byte-exact handler.

The stdlib server is used (not a framework) so each site controls every byte: chunked
framing, gzip, conditional requests, truncated bodies and TCP resets are all things the
recorders under test must survive.  Site-specific behaviour lives in an "app" object with a
``handle(handler)`` method; this module only knows how to put bytes on the wire.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import logging
import os
import socket
import socketserver
import struct
from collections.abc import Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .request_log import RequestLog
from .timefmt import http_date, parse_http_date

log = logging.getLogger(__name__)

CHUNK = 4096


class SiteServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that refuses non-loopback addresses and never does DNS."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, host: str, port: int, app, *, site: str, clock, request_log=None):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"demo sites only bind loopback addresses, not {host}")
        self.app = app
        self.site = site
        self.clock = clock
        self.request_log: RequestLog | None = request_log
        super().__init__((host, port), DemoHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), i.e. a DNS lookup; skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def handle_error(self, request, client_address) -> None:
        # Clients hanging up mid-body are routine here (faults, size limits); keep quiet.
        log.debug("%s: error serving %s", self.site, client_address, exc_info=True)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsarc-demo/1.0"
    sys_version = ""
    # Headers and body go out in separate writes; with Nagle on, keep-alive clients stall
    # ~40 ms per response on delayed ACKs (bulk benchmarks need hundreds of requests/s).
    disable_nagle_algorithm = True
    server: SiteServer

    log_entry: dict | None = None
    route: str = "/"
    query: str = ""

    # -- dispatch ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        self.route = parts.path or "/"
        self.query = parts.query
        self.log_entry = None
        if self.server.request_log is not None:
            headers: dict[str, str] = {}
            for key, value in self.headers.items():
                key = key.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            self.log_entry = self.server.request_log.add(
                site=self.server.site,
                method=self.command,
                path=self.route,
                query=self.query,
                headers=headers,
                site_time=self.server.clock.now().isoformat(),
            )
        try:
            self.server.app.handle(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_response(self, code: int, message: str | None = None) -> None:
        if self.log_entry is not None and self.server.request_log is not None:
            self.server.request_log.set_status(self.log_entry, code)
        super().send_response(code, message)

    def date_time_string(self, timestamp=None) -> str:
        # Date follows the site clock so Last-Modified is never "in the future".
        return http_date(self.server.clock.now())

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.server.site, format % args)

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    # -- request helpers ---------------------------------------------------------------------
    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def accepts_gzip(self) -> bool:
        for item in (self.headers.get("Accept-Encoding") or "").split(","):
            token, _, params = item.strip().partition(";")
            if token.strip().lower() in ("gzip", "x-gzip", "*"):
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    def is_not_modified(self, etag: str, last_modified: datetime | None) -> bool:
        """RFC 9110 precedence: If-None-Match decides alone when present."""
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [tag.strip() for tag in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and last_modified is not None:
            since = parse_http_date(ims)
            return since is not None and last_modified.replace(microsecond=0) <= since
        return False

    # -- responses ---------------------------------------------------------------------------
    def send_page(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int = 200,
        last_modified: datetime | None = None,
        compress: bool = False,
        chunked: bool = False,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Send an entity with an ETag over the bytes actually sent, honouring conditionals."""
        encoding = None
        if compress and self.accepts_gzip():
            body = gzip.compress(body, compresslevel=6, mtime=0)
            encoding = "gzip"
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        validators = [("ETag", etag)]
        if last_modified is not None:
            validators.append(("Last-Modified", http_date(last_modified)))
        if compress:
            validators.append(("Vary", "Accept-Encoding"))
        if status == 200 and self.command in ("GET", "HEAD"):
            if self.is_not_modified(etag, last_modified):
                self.send_response(304)
                for name, value in validators:
                    self.send_header(name, value)
                self.end_headers()
                return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in [*validators, *headers]:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(chunked_frame(body))
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_simple(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/plain; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """A response with no validators (errors, redirects, API answers)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location: str, status: int = 301) -> None:
        body = f'<a href="{location}">Moved</a>\n'.encode()
        self.send_simple(status, body, "text/html; charset=utf-8", [("Location", location)])

    def send_stream(
        self,
        status: int,
        headers: Iterable[tuple[str, str]],
        chunks: Iterable[bytes],
        content_length: int,
    ) -> None:
        """Stream a large body with a declared length; a client hanging up ends it quietly."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(content_length))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            for piece in chunks:
                self.wfile.write(piece)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def reset_connection(self) -> None:
        """Abort with a TCP RST: SO_LINGER 0 then close the descriptor ourselves."""
        self.close_connection = True
        sock: socket.socket = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # detach() so makefile() references cannot postpone the close (and the RST).
            os.close(sock.detach())
        except OSError:
            log.debug("reset of an already closed connection", exc_info=True)


def chunked_frame(body: bytes, size: int = CHUNK) -> bytes:
    """HTTP/1.1 chunked framing of ``body`` in several chunks, plus the last-chunk."""
    parts = []
    for start in range(0, len(body), size):
        piece = body[start : start + size]
        parts.append(b"%x\r\n%s\r\n" % (len(piece), piece))
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)
