"""URL clean-up before a link is followed: no fragments, no tracking parameters."""

from __future__ import annotations

from fnmatch import fnmatchcase
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def clean_link(url: str, strip_params: list[str]) -> str:
    """`url` without its fragment and without query parameters matching `strip_params`
    (shell-style patterns such as `utm_*`); an untouched query keeps its exact spelling."""
    parts = urlsplit(url)
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [
        (key, value)
        for key, value in pairs
        if not any(fnmatchcase(key.lower(), pattern) for pattern in strip_params)
    ]
    if len(kept) != len(pairs):
        query = urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
