"""Extraction: one captured page (URL, bytes, capture time) -> one bilingual story record.

Pure functions only: no network, no database, no clock. `extract` is the entry point; site
profiles refine it with CSS selectors per field (rules.py), never with site-specific code.
"""

from archive.warc.extract_rules import BadExtractRules, ExtractRules

from . import class_words, furniture, language, sections
from .record import ExtractedStory, extract

__all__ = ["BadExtractRules", "ExtractRules", "ExtractedStory", "extract", "forget_memoised"]


def forget_memoised() -> None:
    """Forget the per-text results extraction memoises (languages of lines, class names), so a
    benchmark pass over pages it has seen before costs what the first one did."""
    language.detect_language.cache_clear()
    furniture.line_role.cache_clear()
    sections._kinds_named.cache_clear()
    class_words.forget()
