"""Misbehaving responses for the aggregator's /fault/ pages.

Recorders must survive servers that fail, throttle, stall, reset, lie about lengths and
send decompression bombs.  Each builder here streams or caches its bytes so the demo
server itself never holds a huge body in memory.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from html import escape

BOMB_BLOCK = 1 << 20  # 1 MiB of zeros per deflate block
BOMB_BLOCKS = 1024  # -> 1 GiB once inflated
HUGE_BYTES = 60_000_000
TRUNCATED_DECLARED = 50_000
TRUNCATED_SENT = 1_000


class FaultCounters:
    """How often each fault page was hit since the last reset (drives flaky / rate-limited)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()

    def hit(self, name: str) -> int:
        """Count this request and return its 1-based number."""
        with self._lock:
            self._hits[name] += 1
            return self._hits[name]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def state(self) -> dict[str, int]:
        with self._lock:
            return dict(self._hits)


_bomb_lock = threading.Lock()
_bomb: bytes | None = None


def gzip_bomb() -> bytes:
    """~1 MB gzip member that inflates to 1 GiB of zeros; built once, never inflated here.

    Deflate cannot beat ~1000:1, so the bytes are a full-flushed block repeated: after
    Z_FULL_FLUSH the compressor state is reset, so each 1 MiB block compresses to the same
    byte-aligned bytes and can simply be concatenated.  The CRC is computed over zeros.
    """
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            zeros = bytes(BOMB_BLOCK)
            block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
            tail = comp.flush(zlib.Z_FINISH)
            crc = 0
            for _ in range(BOMB_BLOCKS):
                crc = zlib.crc32(zeros, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            size = (BOMB_BLOCK * BOMB_BLOCKS) & 0xFFFFFFFF
            _bomb = header + block * BOMB_BLOCKS + tail + struct.pack("<II", crc, size)
        return _bomb


def bomb_chunks(size: int = 64 * 1024) -> Iterator[bytes]:
    data = gzip_bomb()
    for start in range(0, len(data), size):
        yield data[start : start + size]


def huge_chunks(total: int = HUGE_BYTES, size: int = 64 * 1024) -> Iterator[bytes]:
    """Deterministic filler text, generated piece by piece."""
    line = b"<p>huge page filler - the archive must stop reading before the end.</p>\n"
    block = (line * (size // len(line) + 1))[:size]
    sent = 0
    while sent < total:
        piece = block[: min(size, total - sent)]
        sent += len(piece)
        yield piece


def truncated_body() -> bytes:
    head = b"<!doctype html><html><head><title>Truncated</title></head><body><p>"
    return (head + b"x" * TRUNCATED_SENT)[:TRUNCATED_SENT]


def malformed_page(title_en: str, title_zh: str, paragraphs: list[dict[str, str]]) -> bytes:
    """Badly broken but recoverable HTML: unclosed tags, stray </div>, `<p` without `>`, NUL."""
    body = "".join(
        f'<div class="para"><p lang="en">{escape(p["en"])}<p lang="zh">{escape(p["zh"])}\n'
        for p in paragraphs
    )
    title_en, title_zh = escape(title_en), escape(title_zh)
    html = (
        "<html><head><title>Malformed: " + title_en + "</title>\n"
        "<body></div></div><div id=main><h1 lang=en>" + title_en + "</h2>\n"
        "<h2 lang=zh>" + title_zh + "\n"
        "<p class=lede Broken lede paragraph\n<p>The lede survives the broken tag above.\n"
        + body
        + "<table><tr><td>cell<td>cell2\n"
        "</span></article><p>After this paragraph comes a NUL byte.\x00 The story still ends.\n"
        "<script>var x = '</div>';\n"
    )
    return html.encode("utf-8")
