"""Digests of archived bytes: WARC's `sha1:` + base32 payload digests, and a WARC file's sha256."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

_FILE_CHUNK = 1 << 20


def payload_digest(body: bytes) -> str:
    """Digest of an entity body as stored (transfer coding removed, content coding kept), in the
    `sha1:` + base32 form warcio, pywb and Heritrix write and compare."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a whole file, streamed: how the catalog and verify recognise a WARC file's
    bytes (a copy under another name, or bit rot since ingest)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_FILE_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
