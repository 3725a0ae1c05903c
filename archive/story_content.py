"""What counts as a story's content, normalised so that only real changes change its hash.

Content is the extracted text fields in both languages (titles, summaries, TL;DR, body, FAQ,
tags). Times, scores, view counts and page furniture are not content: scores are kept as a time
series on each version, never compared. Normalisation removes what readers cannot see or do not
read as a change: Unicode compatibility forms (full-width and half-width punctuation), runs of
white space, zero-width characters.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable

CONTENT_FIELDS = (
    "title_en", "title_zh", "summary_en", "summary_zh", "tldr_en", "tldr_zh",
    "body_en", "body_zh", "faq", "tags",
)  # fmt: skip

_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def normalise_value(value: object) -> object:
    if value is None or isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {k: normalise_value(v) for k, v in sorted(value.items())}
    if isinstance(value, Iterable):
        items = [normalise_value(v) for v in value]
        return [v for v in items if v not in ("", [], {})]
    return value


def field_fingerprints(record: dict) -> dict[str, str]:
    """One short hash per content field, so a change can say which fields moved."""
    return {
        name: hashlib.sha1(
            json.dumps(normalise_value(record.get(name)), ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]
        for name in CONTENT_FIELDS
    }


def content_hash(record: dict) -> str:
    """Hash of all content fields, normalised; equal hashes mean 'no change a reader would see'."""
    canonical = json.dumps(
        {name: normalise_value(record.get(name)) for name in CONTENT_FIELDS},
        ensure_ascii=False,
        sort_keys=True,
    )
    return "sha1:" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()


def has_story_text(record: dict) -> bool:
    """A page with a title and some body text in either language is a story."""
    has_title = bool(record.get("title_en") or record.get("title_zh"))
    return has_title and bool(record.get("body_en") or record.get("body_zh"))
