"""Retries with exponential backoff that honour Retry-After.

Scrapy's RetryMiddleware retries at once; a polite archiver waits, and waits as long as the
server asks (up to the profile's cap; beyond it the fetch fails and is recorded).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from datetime import UTC, datetime

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

log = logging.getLogger(__name__)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("NEWSARC_RETRY_BASE_DELAY", 0.5)
        self.max_delay = settings.getfloat("NEWSARC_RETRY_MAX_DELAY", 30.0)
        self.max_retry_after = settings.getfloat("NEWSARC_MAX_RETRY_AFTER", 120.0)

    def _backoff(self, request: Request) -> float:
        attempt = request.meta.get("retry_times", 0)
        delay = min(self.max_delay, self.base_delay * (2**attempt))
        return delay * random.uniform(0.8, 1.2)

    async def process_response(self, request: Request, response: Response, spider: Spider):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header.decode("latin-1") if header else None)
        if asked is not None and asked > self.max_retry_after:
            log.warning("%s asks to retry after %.0fs (> cap): giving up", request.url, asked)
            return response
        retry = self._retry(request, response_status_message(response.status), spider)
        if retry is None:
            return response
        await asyncio.sleep(asked if asked is not None else self._backoff(request))
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider: Spider):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception, spider)
        if retry is not None:
            await asyncio.sleep(self._backoff(request))
        return retry
