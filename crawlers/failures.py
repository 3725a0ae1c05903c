"""Fetch failures: named, explained, and archived as WARC metadata records.

The spider's errback turns a Twisted failure into a `FetchFailed` item; the pipeline here writes
it to the WARC (the source of truth), from which DuckDB's `fetch_errors` is derived.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from archive.warc.records import FETCH_ERROR_CONTENT_TYPE
from crawlers.session import CrawlSession


@dataclass(frozen=True)
class FetchFailed:
    url: str
    error: str
    reason: str
    status: int | None
    attempts: int | None
    profile: str


def describe_failure(failure) -> tuple[str, str, int | None]:
    """(kind, human reason, HTTP status) for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return "http_status", f"HTTP {status} after retries", status
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "robots_disallowed", text, None
        if "exceeded" in text or "max" in text.lower():
            return "too_large", text, None
        return "ignored", text, None
    if isinstance(exc, TimeoutError | TCPTimedOutError):
        return "timeout", str(exc) or "download timed out", None
    if isinstance(exc, DNSLookupError):
        return "dns", str(exc), None
    if isinstance(exc, ResponseFailed):
        reasons = " ".join(repr(r.value) for r in getattr(exc, "reasons", []))
        if "DataLoss" in reasons or "data loss" in reasons.lower():
            return "truncated", f"body shorter than announced: {reasons}", None
        return "connection", f"response failed: {reasons}", None
    if isinstance(exc, ResponseNeverReceived | ConnectionLost):
        return "connection", f"connection lost: {exc!r}", None
    text = repr(exc)
    if "maxsize" in text.lower() or "max size" in text.lower():
        return "too_large", text, None
    return type(exc).__name__.lower(), text, None


class FetchFailureArchiver:
    """Item pipeline: writes each FetchFailed as a metadata record; passes other items on."""

    def __init__(self, session: CrawlSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchFailureArchiver:
        return cls(CrawlSession.of(crawler))

    def process_item(self, item, spider):
        if not isinstance(item, FetchFailed):
            return item
        body = json.dumps(asdict(item), ensure_ascii=False, sort_keys=True).encode("utf-8")
        self.session.writer.write_metadata(
            item.url, body, FETCH_ERROR_CONTENT_TYPE, captured_at=datetime.now(UTC)
        )
        self.session.count(f"failures/{item.error}")
        return item
