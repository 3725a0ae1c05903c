"""Marker words in class and id attributes ("trending", "share", "dek"), matched as whole words.

A page has hundreds of elements with a class; splitting every class into words to intersect
them with a word set is most of what a scan over the page costs. One precompiled regular
expression answers the same question, whole words between hyphens, underscores and spaces,
without building a list and a set per element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

WORD_SEPARATORS = r"-_\s"
_MEMOISED: list = []  # every test made here, for forget()


def holds_word(words: Iterable[str]) -> Callable[[str], bool]:
    """A test that is true when the lower-cased text, split at hyphens, underscores and
    whitespace, holds one of `words`: `set(re.split("[-_\\s]+", text.lower())) & words`."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(f"(?:^|[{WORD_SEPARATORS}])(?:{alternatives})(?=$|[{WORD_SEPARATORS}])")

    # A page repeats its class names ("col-md-6" fifty times) and a site repeats them across
    # pages: each distinct one is searched once.
    @lru_cache(maxsize=16384)
    def test(text: str) -> bool:
        return pattern.search(text.lower()) is not None

    _MEMOISED.append(test)
    return test


def forget() -> None:
    """Drop what every test remembers (benchmarks time passes that start cold)."""
    for test in _MEMOISED:
        test.cache_clear()
