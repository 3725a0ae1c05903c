"""The browser's only way out: a forward proxy that opens a connection only to a host:port the
crawl's scope allows, and refuses (and logs) every other.

Chromium is started pointing at it with no bypass, loopback included (crawlers/browser.py), so
whatever a page does (fetch, a WebSocket, a service worker, a popup, a preconnect) its
connection either passes this check or never exists. Aborting requests in Playwright can be got
around (a service worker's requests never reach it); this cannot.

It speaks just enough HTTP to route: `CONNECT host:port` (https, ws, wss) becomes a tunnel, and a
plain-http request in absolute form is sent on in origin form with `Connection: close`; the
client's connection ends with the server's. Routing is decided once per client connection, so
whatever else a client sends on it can only reach the same, allowed, server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from urllib.parse import urlsplit

from crawlers.network_scope import NetworkScope

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT = 30.0
CONNECT_TIMEOUT = 30.0
MAX_TARGETS = 1000
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"proxy-authorization"}


class _Refused(Exception):
    """The request is never forwarded: a CONNECT is answered with `status`, the rest closed."""

    def __init__(self, status: str, why: str) -> None:
        super().__init__(why)
        self.status = status


class ScopeProxy:
    """Started and closed by the browser's owner; `port` is known once started."""

    def __init__(self, scope: NetworkScope, host: str = "127.0.0.1") -> None:
        self.scope = scope
        self.host = host
        self.port: int | None = None
        # Refused attempts by "METHOD host:port"; each is logged the first time only, so a page
        # that retries in a loop cannot flood the crawl log (nor memory: see MAX_TARGETS).
        self.refused: Counter[str] = Counter()
        self._upstream_ips: dict[tuple[str, int], str] = {}
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task] = set()

    def __deepcopy__(self, memo) -> ScopeProxy:
        # A live server shared by the crawl's components: Scrapy deep-copies settings, and every
        # copy must still mean this one proxy.
        return self

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def upstream_ip(self, host: str, port: int) -> str | None:
        """The server address the proxy last connected to for host:port, if it ever did."""
        return self._upstream_ips.get((host.strip("[]").lower(), port))

    async def start(self) -> ScopeProxy:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._serve, self.host, 0, limit=MAX_HEAD_BYTES
            )
            self.port = self._server.sockets[0].getsockname()[1]
            log.info("scope proxy listening on %s", self.url)
        return self

    async def close(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._clients):
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._clients.add(task)
        try:
            await self._relay_one(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client went away or sent no complete request head: nothing to answer
        except TimeoutError:
            log.info("scope proxy: no request head within %ss, closing", HEAD_TIMEOUT)
        finally:
            self._clients.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _relay_one(self, reader, writer) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT)
        forward = None
        try:
            method, host, port, forward = self._route(head)
            if not self.scope.allows(host, port):
                self._note_refusal(f"{method} {host}:{port}")
                raise _Refused("403 Forbidden", f"{host}:{port} is outside this crawl's scope")
            try:
                up_reader, up_writer = await asyncio.wait_for(
                    asyncio.open_connection(host.strip("[]"), port), CONNECT_TIMEOUT
                )
            except (OSError, TimeoutError) as exc:
                raise _Refused("502 Bad Gateway", f"cannot reach {host}:{port}: {exc}") from exc
        except _Refused as refusal:
            if forward is not None:
                # Chromium would take a plain-http answer for the server's own (and the
                # archive would keep it under the off-site URL): close without one instead.
                return
            body = f"{refusal}\n".encode()
            writer.write(
                b"HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (refusal.status.encode(), len(body), body)
            )
            await writer.drain()
            return
        peer = up_writer.get_extra_info("peername")
        if peer:
            self._upstream_ips[(host.strip("[]").lower(), port)] = peer[0]
        upload = None
        try:
            if forward is None:
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            else:
                up_writer.write(forward)
            upload = asyncio.ensure_future(_pipe(reader, up_writer))
            await _pipe(up_reader, writer)  # the server's end is the end of the exchange
        finally:
            if upload is not None:
                upload.cancel()
            up_writer.close()

    def _note_refusal(self, target: str) -> None:
        if target not in self.refused:
            if len(self.refused) >= MAX_TARGETS:
                target = "(other targets)"
            else:
                log.warning("scope proxy refused %s (out of scope)", target)
        self.refused[target] += 1

    @staticmethod
    def _route(head: bytes) -> tuple[str, str, int, bytes | None]:
        """(method, host, port, head to send upstream; None for a CONNECT tunnel)."""
        request_line, _, rest = head.partition(b"\r\n")
        try:
            method, target, version = request_line.decode("ascii").split(" ")
        except (UnicodeDecodeError, ValueError):
            raise _Refused("400 Bad Request", "not an HTTP request line") from None
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            if not port.isdigit():
                raise _Refused("400 Bad Request", "CONNECT needs host:port")
            return method, host, int(port), None
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.netloc:
            raise _Refused("400 Bad Request", "only absolute http:// URLs are proxied")
        try:
            port = parts.port or 80
        except ValueError:
            raise _Refused("400 Bad Request", "bad port") from None
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        path = parts.path or "/"
        origin_form = f"{path}?{parts.query}" if parts.query else path
        headers = [
            line
            for line in rest.split(b"\r\n")
            if line and line.split(b":", 1)[0].strip().lower() not in _HOP_BY_HOP
        ]
        forward = b"\r\n".join(
            [f"{method} {origin_form} {version}".encode("ascii"), *headers, b"Connection: close"]
        )
        return method, host, port, forward + b"\r\n\r\n"


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then half-close the other side so it sees the end too."""
    try:
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()
    except (ConnectionError, OSError):
        sink.close()
