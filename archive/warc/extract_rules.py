"""The `newsarc-extract-rules` warcinfo field: a profile's `[extract]` table, as data.

    {"body": "section.analysis p", "drop": [".promo"], "published": "span.pubtime"}

The crawler checks it when a profile is loaded and records it in each WARC's warcinfo; the
extractor reads it back from there (`archive.stories.extract`). Its vocabulary lives here, in the
layer both may import, so the two can never disagree about what a valid rule is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

FIELDS = (
    "title_en", "title_zh", "summary_en", "summary_zh", "body", "tldr", "faq", "key_data",
    "scores", "author", "tags", "published", "updated", "drop",
)  # fmt: skip

ExtractRules = Mapping[str, str | Sequence[str]]


class BadExtractRules(ValueError):
    """An extraction rule names an unknown field or holds an invalid CSS selector."""


def normalise_rules(rules: ExtractRules | None) -> dict[str, list[str]]:
    """{field: [selector, ...]}, checked once, with errors that name the field."""
    out: dict[str, list[str]] = {}
    for field, value in (rules or {}).items():
        if field not in FIELDS:
            raise BadExtractRules(f"extract.{field}: unknown field; allowed: {', '.join(FIELDS)}")
        selectors = [value] if isinstance(value, str) else list(value)
        for selector in selectors:
            try:
                CSSSelector(selector)
            except SelectorError as exc:
                raise BadExtractRules(
                    f"extract.{field}: {selector!r} is not a valid CSS selector: {exc}"
                ) from exc
        out[field] = selectors
    return out
