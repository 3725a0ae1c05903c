"""Applying site refinements: a field with a rule is read from the elements its CSS selectors
match; every other field stays generic. The rules' vocabulary and checks are the WARC field's
(`archive.warc.extract_rules`), since the crawler records them and the extractor reads them back.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from lxml.cssselect import CSSSelector


def select(tree, selector: str) -> list:
    """`tree.cssselect(selector)` with the selector compiled once (per thread) and reused."""
    return _compiled(selector, threading.get_ident())(tree)


@lru_cache(maxsize=1024)
def _compiled(selector: str, _thread: int) -> CSSSelector:
    return CSSSelector(selector, translator="html")
