"""Site refinements as data: CSS selectors per field, e.g. a profile's `[extract]` table.

    {"body": "section.analysis p", "drop": [".promo"], "published": "span.pubtime"}

A field with a rule is read from the matched elements; every other field stays generic.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache

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


def select(tree, selector: str) -> list:
    """`tree.cssselect(selector)` with the selector compiled once (per thread) and reused."""
    return _compiled(selector, threading.get_ident())(tree)


@lru_cache(maxsize=1024)
def _compiled(selector: str, _thread: int) -> CSSSelector:
    return CSSSelector(selector, translator="html")
