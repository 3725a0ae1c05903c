"""Date formats the demo pages and headers use (HTTP dates, ISO 8601, "2h ago" bylines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

BEIJING = timezone(timedelta(hours=8))


def http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate, e.g. ``Fri, 20 Nov 2026 08:00:00 GMT``."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(value: str) -> datetime | None:
    """Parse an If-Modified-Since value; garbage yields None (the header is then ignored)."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_iso(value: str) -> datetime:
    """ISO 8601 from the story data modules ("Z" accepted); always aware UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_beijing(moment: datetime) -> str:
    """The translated site shows times in China Standard Time (+08:00) like its model."""
    return moment.astimezone(BEIJING).replace(microsecond=0).isoformat()


def ago(now: datetime, then: datetime) -> tuple[str, str]:
    """Relative age in English and Chinese: ("10h ago", "10小时前")."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now", "刚刚"
    if seconds < 3600:
        minutes = seconds // 60
        return f"{minutes}m ago", f"{minutes}分钟前"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours}h ago", f"{hours}小时前"
    days = seconds // 86400
    return f"{days}d ago", f"{days}天前"
