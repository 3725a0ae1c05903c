"""Undoing an HTTP content coding (gzip, deflate, br) of a payload the WARC keeps as it came.

WARC records keep bodies exactly as the server sent them, so whoever reads a page's text, a
sitemap or a feed from the archive undoes the coding here. The output is bounded: a page's bytes
must not decide how much memory we use (a small gzip or brotli bomb inflates to gigabytes).
"""

from __future__ import annotations

import zlib

MAX_DECODED_BYTES = 20_000_000  # same ceiling as the crawler's max_body_bytes
_GZIP_MAGIC = b"\x1f\x8b"


class DecodeError(ValueError):
    """The body could not be turned into text (bad content coding or too large)."""


def remove_content_coding(body: bytes, content_encoding: str | None) -> bytes:
    """Undo gzip/deflate/br as named by the Content-Encoding header's value; also spots gzip bytes
    sent with no header. Raises `DecodeError` for bad data or output past `MAX_DECODED_BYTES`."""
    coding = (content_encoding or "").lower().strip()
    if coding in ("gzip", "x-gzip") or (not coding and body[:2] == _GZIP_MAGIC):
        return _inflate(body, zlib.MAX_WBITS | 16)
    if coding == "deflate":
        try:
            return _inflate(body, zlib.MAX_WBITS)
        except DecodeError:
            return _inflate(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    if coding == "br":
        return _unbrotli(body)
    return body


def _inflate(body: bytes, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, MAX_DECODED_BYTES + 1)
    except zlib.error as exc:
        raise DecodeError(f"body is not valid compressed data: {exc}") from exc
    if len(out) > MAX_DECODED_BYTES:
        raise DecodeError(f"body inflates past {MAX_DECODED_BYTES} bytes")
    return out


def _unbrotli(body: bytes) -> bytes:
    """Brotli, bounded like `_inflate`."""
    import brotli

    try:
        out = brotli.Decompressor().process(body, output_buffer_limit=MAX_DECODED_BYTES + 1)
    except brotli.error as exc:
        raise DecodeError(f"body is not valid brotli data: {exc}") from exc
    if len(out) > MAX_DECODED_BYTES:
        raise DecodeError(f"body inflates past {MAX_DECODED_BYTES} bytes")
    return out
