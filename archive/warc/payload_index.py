"""Deciding revisits: which payloads the archive already holds, by digest.

A fetch whose payload digest is already archived (under any URL) is written as an
identical-payload-digest revisit, so unchanged re-crawls add headers, not bodies.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime

from archive.warc.writer import Original


class PayloadIndex:
    """Payload digest -> the first capture that stored that payload in full."""

    def __init__(self, known: Mapping[str, tuple[str, datetime]] | None = None) -> None:
        self._originals: dict[str, Original] = {
            digest: Original(uri=uri, date=date) for digest, (uri, date) in (known or {}).items()
        }
        self._lock = threading.Lock()

    def original_for(self, digest: str) -> Original | None:
        return self._originals.get(digest)

    def remember(self, digest: str, original: Original) -> None:
        with self._lock:
            self._originals.setdefault(digest, original)

    def __len__(self) -> int:
        return len(self._originals)
