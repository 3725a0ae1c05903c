"""Captured bytes -> text: undo the content coding, then pick the charset the bytes really use.

Declarations (BOM, HTTP header, <meta>) are candidates, not facts: each is verified by
decoding the bytes strictly, and bytes that are valid UTF-8 with multi-byte sequences are
read as UTF-8 whatever a header or meta tag claims (real pages declare gb2312 and send UTF-8).

A stray invalid byte is damage, not evidence of another charset: GB18030 decodes almost any
bytes, so switching to it for one bad byte would garble a whole UTF-8 page. Bytes that are UTF-8
but for a few invalid ones are read as UTF-8 with those bytes replaced (U+FFFD), as a browser does.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from archive.warc.content_coding import remove_content_coding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# WHATWG-style aliases: the label a page uses -> the codec that decodes what servers really send.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
# Tried in this order when no declaration survives verification.
_FALLBACKS = ("utf-8", "gb18030", "big5hkscs", "cp1252")

# Well-formed UTF-8 multi-byte sequences (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
# Undeclared (or declared otherwise), bytes count as UTF-8 with stray damage when at least this
# many of their non-ASCII bytes form UTF-8 sequences. Text in another multi-byte charset scores
# far lower: GBK pairs form a valid UTF-8 sequence about one time in twelve.
_MOSTLY_UTF8 = 0.95
# Declared UTF-8, the declaration stands unless invalid bytes outnumber valid ones and are more
# than a stray few (a GBK page mislabelled utf-8 has hundreds).
_STRAY_BYTES = 8


def declared_charsets(body: bytes, headers: Mapping[str, str] | None) -> list[str]:
    """Charset labels in the order a browser would trust them: BOM, HTTP header, <meta>."""
    found = [name for bom, name in _BOMS if body.startswith(bom)]
    if m := _HEADER_CHARSET.search(_header(headers, "content-type")):
        found.append(m.group(1))
    if m := _META_CHARSET.search(body[:8192]):
        found.append(m.group(1).decode("ascii"))
    return [normalise_charset(name) for name in found if normalise_charset(name)]


def normalise_charset(label: str) -> str:
    """Canonical codec name for a label ('GB2312' -> 'gb18030'); '' if Python has no such codec."""
    label = label.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(text, codec used). Never raises on odd bytes: the last resort replaces them."""
    body = remove_content_coding(body, _header(headers, "content-encoding"))
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace"), "utf-8"
    if not body.isascii() and _strict(body, "utf-8") is not None:
        return body.decode("utf-8"), "utf-8"
    declared = declared_charsets(body, headers)
    if not body.isascii() and _utf8_with_stray_bytes(body, declared[:1] == ["utf-8"]):
        return body.decode("utf-8", errors="replace"), "utf-8"
    for name in [*declared, *_FALLBACKS]:
        text = _strict(body, name)
        if text is not None:
            return text, name
    return body.decode("gb18030", errors="replace"), "gb18030"


def _utf8_with_stray_bytes(body: bytes, declared_utf8: bool) -> bool:
    """True if *body* is UTF-8 with a few invalid bytes rather than text in another charset."""
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(body))
    invalid = sum(len(m) for m in _NON_ASCII_RUN.findall(body)) - valid
    if declared_utf8:
        return invalid <= max(valid, _STRAY_BYTES)
    return valid > 0 and valid >= _MOSTLY_UTF8 * (valid + invalid)


def _strict(body: bytes, name: str) -> str | None:
    try:
        return body.decode(name)
    except (UnicodeError, LookupError):  # UnicodeError: codecs such as "undefined" refuse all
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return ""
