"""WARC digests: `sha1:` + base32, the form warcio, pywb and Heritrix write and compare."""

from __future__ import annotations

import base64
import hashlib


def payload_digest(body: bytes) -> str:
    """Digest of an entity body as stored (transfer coding removed, content coding kept)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
