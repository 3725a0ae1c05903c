"""A settable clock shared by every demo site.

Tests need to say "two hours later" without sleeping, and pages such as the aggregator's
"10h ago · Updated 2h ago" byline must move when they do.  Every time-dependent thing the
demo servers emit (bylines, Date headers, scheduled publications) reads this clock.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 20, 8, 0, 0, tzinfo=UTC)


class SiteClock:
    """Frozen wall clock that only moves when told to (thread-safe)."""

    def __init__(self, start: datetime = START) -> None:
        if start.tzinfo is None:
            raise ValueError("site clock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, hours: float = 0.0) -> datetime:
        """Move forward; going backwards would break Last-Modified logic, so it is refused."""
        delta = timedelta(seconds=seconds, hours=hours)
        if delta < timedelta(0):
            raise ValueError("the site clock only moves forward")
        with self._lock:
            self._now += delta
            return self._now
