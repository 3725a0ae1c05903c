"""Where a capture replays: `{base}/{timestamp14}/{url}` in the pywb collection `newsarc replay`
serves, so the report and `newsarc history` link each version to the page as it was archived.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from archive.warc.records import rendered_dom_page_url

REPLAY_COLLECTION = "newsarc"
DEFAULT_REPLAY_PORT = 8080
DEFAULT_REPLAY_BASE = f"http://127.0.0.1:{DEFAULT_REPLAY_PORT}/{REPLAY_COLLECTION}"
# An archive replayed elsewhere (another port, a shared pywb) is linked there instead.
REPLAY_BASE_ENV = "NEWSARC_REPLAY_BASE"


def replay_base(explicit: str | None = None) -> str:
    """The collection URL links start with: `explicit`, else NEWSARC_REPLAY_BASE, else the
    address `newsarc replay` listens on by default."""
    return (explicit or os.environ.get(REPLAY_BASE_ENV) or DEFAULT_REPLAY_BASE).rstrip("/")


def replay_timestamp(moment: datetime) -> str:
    """The 14-digit UTC timestamp of replay URLs (pywb picks the capture closest to it)."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def replay_url(base: str, captured_at: datetime, url: str) -> str:
    """The replay link of a capture; a rendered DOM replays as the page it was made from."""
    page = rendered_dom_page_url(url) or url
    return f"{base.rstrip('/')}/{replay_timestamp(captured_at)}/{page}"
