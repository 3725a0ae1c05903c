"""Dates on news pages -> aware UTC datetimes.

Absolute dates keep the zone they state; a date with no zone is read in the page's local zone
(UTC+8 for Chinese pages). Relative phrases ("10h ago", "更新于 2小时前", "昨天 10:30") are
resolved against the capture time handed in, never against the clock, so re-extracting an old
capture gives the same answer.
"""

from __future__ import annotations

import copy
import logging
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8), "UTC+8")

_ZONE = (
    r"(?:\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
    r"|GMT|UTC|北京时间))?"
)
_CLOCK = r"(?:[T\s]*(?P<hour>\d{1,2})[:：时](?P<minute>\d{2})(?:[:：分](?P<second>\d{2}))?)?"
_ABSOLUTE = [
    re.compile(
        r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
        + _CLOCK
        + _ZONE
    ),
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"
        + _CLOCK
        + r"(?:\.\d+)?"
        + _ZONE
    ),
]

_EN_UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks",
}  # fmt: skip
_ZH_UNITS = {"秒": "seconds", "分钟": "minutes", "分": "minutes", "小时": "hours", "天": "days",
             "日": "days", "周": "weeks", "星期": "weeks"}  # fmt: skip
_EN_AGO = re.compile(
    r"\b(?P<n>\d+|an?|one)\s*(?P<unit>"
    + "|".join(sorted(_EN_UNITS, key=len, reverse=True))
    + r")\.?\s+ago(?!(?-i:[a-z]))",
    re.I,
)
_ZH_AGO = re.compile(
    r"(?P<n>\d+|半|一|两)\s*(?:个)?\s*(?P<unit>"
    + "|".join(sorted(_ZH_UNITS, key=len, reverse=True))
    + r")\s*(?:之)?前"
)
_NOW_WORDS = re.compile(r"\bjust now\b|刚刚|刚才", re.I)
_DAY_WORDS = re.compile(
    r"(?P<word>\byesterday\b|\btoday\b|昨天|今天|前天)"
    + r"(?:\s*(?:at\s*)?(?P<hour>\d{1,2}):(?P<minute>\d{2}))?",
    re.I,
)
_DAY_OFFSETS = {"yesterday": 1, "today": 0, "昨天": 1, "今天": 0, "前天": 2}
_UPDATED = re.compile(r"updated|modified|edited|更新|修改|编辑于", re.I)

# Anything that would make a line a relative time stamp rather than content.
RELATIVE_TIME = re.compile(
    "|".join(re.sub(r"\?P<\w+>", "?:", p.pattern) for p in (_EN_AGO, _ZH_AGO, _NOW_WORDS)),
    re.I,
)


def may_hold_relative_time(text: str) -> bool:
    """False when RELATIVE_TIME cannot match: every phrase it knows holds "ago", "just now",
    刚 or a time unit before 前. A cheap test to run before the full regex over long text."""
    lowered = text.lower()
    return "ago" in lowered or "just now" in lowered or bool(_ZH_RELATIVE_HINT.search(text))


_ZH_RELATIVE_HINT = re.compile(r"[秒钟分时天日周期]\s*之?前|刚")


def to_utc(moment: datetime, default_zone: tzinfo = UTC) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    return moment.astimezone(UTC)


def parse_date(value: str, default_zone: tzinfo = UTC) -> datetime | None:
    """An absolute date in any common machine or visible form; None if there is none."""
    value = (value or "").strip()
    if not value:
        return None
    # OverflowError: a date at the calendar's edge that UTC cannot hold ("0001-01-01T00:00+01:00").
    try:
        return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")), default_zone)
    except (ValueError, OverflowError):
        pass
    if re.match(r"^[A-Za-z]{3},?\s+\d", value):
        try:
            return to_utc(parsedate_to_datetime(value), default_zone)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    found = find_dates(value, default_zone)
    return found[0] if found else None


def find_dates(text: str, default_zone: tzinfo = UTC) -> list[datetime]:
    """Every plausible absolute date written in free text, in order of appearance."""
    hits: list[tuple[int, datetime]] = []
    for pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            moment = _from_match(m, default_zone)
            if moment is not None:
                hits.append((m.start(), moment))
    return [moment for _, moment in sorted(hits, key=lambda hit: hit[0])]


def _from_match(m: re.Match, default_zone: tzinfo) -> datetime | None:
    """The matched date, or None when a field is out of range (a 25th hour, a "+9999" zone)."""
    parts = m.groupdict()
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
        return to_utc(moment, _zone(parts.get("zone"), default_zone))
    except (ValueError, OverflowError):
        return None


def _zone(label: str | None, default_zone: tzinfo) -> tzinfo:
    if not label:
        return default_zone
    label = label.strip().upper()
    if label in ("Z", "GMT", "UTC"):
        return UTC
    if label == "北京时间":
        return CHINA
    m = re.search(r"([+-])\s*(\d{1,2}):?(\d{2})?$", label)
    if not m:
        return default_zone
    offset = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return timezone(-offset if m.group(1) == "-" else offset)


def parse_relative(text: str, captured_at: datetime) -> datetime | None:
    """The moment a relative phrase points at, counted back from the capture time.

    None also when that moment is off the calendar: "99999999 weeks ago", "yesterday at 25:61",
    "2 days ago" captured on 0001-01-01 are a page's nonsense, not a reason to lose the page.
    """
    try:
        return _resolve_relative(text, to_utc(captured_at))
    except (ValueError, OverflowError):
        return None


def _resolve_relative(text: str, captured_at: datetime) -> datetime | None:
    for pattern, units in ((_EN_AGO, _EN_UNITS), (_ZH_AGO, _ZH_UNITS)):
        if m := pattern.search(text):
            amount = _amount(m.group("n"))
            unit = units[m.group("unit").lower() if units is _EN_UNITS else m.group("unit")]
            return captured_at - timedelta(**{unit: amount})
    if _NOW_WORDS.search(text):
        return captured_at
    if m := _DAY_WORDS.search(text):
        day = captured_at - timedelta(days=_DAY_OFFSETS[m.group("word").lower()])
        if m.group("hour"):
            # A wall-clock time is local: Chinese phrases mean Beijing time.
            zone = CHINA if re.search(r"[\u4e00-\u9fff]", m.group("word")) else UTC
            local = day.astimezone(zone)
            moment = local.replace(hour=int(m.group("hour")), minute=int(m.group("minute")))
            return moment.astimezone(UTC).replace(second=0, microsecond=0)
        return day
    return None


def _amount(word: str) -> float:
    return {"a": 1, "an": 1, "one": 1, "一": 1, "两": 2, "半": 0.5}.get(
        word.lower(), None
    ) or float(word)


def relative_times(text: str, captured_at: datetime) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from a byline such as "10h ago · Updated 2h ago / 更新于 2小时前"."""
    published = updated = None
    for chunk in re.split(r"[·|/•]", text):
        moment = parse_relative(chunk, captured_at)
        if moment is None:
            continue
        if _UPDATED.search(chunk):
            updated = updated or moment
        else:
            published = published or moment
    return published, updated


def is_updated_label(text: str) -> bool:
    return bool(_UPDATED.search(text or ""))


def htmldate_guess(tree, captured_at: datetime, zone: tzinfo) -> datetime | None:
    """htmldate's reading of the page (meta tags, URL, markup, text patterns), as a last resort.

    Nothing published after the capture can be its publication date ("page generated at"
    stamps are), so the capture time bounds the search. The fast search only: the extensive
    one hands free text to dateparser, which costs seconds a page. htmldate cleans the tree
    it is given, hence the copy."""
    import htmldate

    try:
        found = htmldate.find_date(
            copy.deepcopy(tree),
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d %H:%M:%S",
            max_date=to_utc(captured_at).replace(tzinfo=None),
        )
    except Exception as exc:  # its heuristics meet hostile markup ("+9999" zones): no guess
        log.info("htmldate gave up on this page: %r", exc)
        return None
    return parse_date(found, zone) if found else None
