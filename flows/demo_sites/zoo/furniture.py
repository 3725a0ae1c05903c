"""Per-request page furniture: counters that climb, lists that reshuffle, scores that wobble.

Real news pages never send the same bytes twice: view counters, "12 comments", related-post
boxes, ad slots and relative times move on every request or every hour.  Each layout draws
its furniture from a ``Tick`` (a per-site request number plus the site clock), so two
requests always differ while the story model, and therefore the story, stays the same.
"""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Tick:
    n: int  # this site's request number, from 1
    now: datetime

    def counter(self, base: int, step: int = 1) -> int:
        """A number that only grows: views, readers, watchers."""
        return base + self.n * step

    def wobble(self, base: int, salt: int = 0, spread: int = 2) -> int:
        """A score that moves up and down by a point or two around ``base``."""
        return base + (self.n * 7 + salt * 5) % (2 * spread + 1) - spread

    def rotate(self, items: list, size: int | None = None, salt: int = 0) -> list:
        if not items:
            return []
        k = (self.n + salt) % len(items)
        turned = items[k:] + items[:k]
        return turned[:size] if size else turned

    def shuffle(self, items: list, size: int | None = None, salt: int = 0) -> list:
        picked = random.Random(self.n * 1009 + salt).sample(items, len(items))
        return picked[:size] if size else picked

    def pick(self, items: list, salt: int = 0):
        return items[(self.n + salt) % len(items)]


class Furniture:
    """Hands out ticks; one per response, so furniture moves between any two requests."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def tick(self) -> Tick:
        with self._lock:
            return Tick(next(self._numbers), self.clock.now())


def _parts(now: datetime, then: datetime) -> tuple[int, str]:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return 0, "now"
    if seconds < 3600:
        return seconds // 60, "minute"
    if seconds < 86400:
        return seconds // 3600, "hour"
    return seconds // 86400, "day"


def ago_short(now: datetime, then: datetime) -> str:
    """ "3h ago", "25m ago" (aggregator and app style)."""
    n, unit = _parts(now, then)
    return "just now" if unit == "now" else f"{n}{unit[0]} ago"


def ago_long(now: datetime, then: datetime) -> str:
    """ "3 hours ago", "1 minute ago" (AMP and newspaper style)."""
    n, unit = _parts(now, then)
    return "just now" if unit == "now" else f"{n} {unit}{'' if n == 1 else 's'} ago"


def ago_min(now: datetime, then: datetime) -> str:
    """ "5 min ago", "2 hr ago" (live-blog style)."""
    n, unit = _parts(now, then)
    label = {"minute": "min", "hour": "hr", "day": "d"}.get(unit)
    return "just now" if unit == "now" else f"{n} {label} ago"


def ago_zh(now: datetime, then: datetime) -> str:
    """ "3小时前", "5分钟前"."""
    n, unit = _parts(now, then)
    label = {"minute": "分钟", "hour": "小时", "day": "天"}.get(unit)
    return "刚刚" if unit == "now" else f"{n}{label}前"
