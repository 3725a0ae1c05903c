"""Extraction: one captured page (URL, bytes, capture time) -> one bilingual story record.

Pure functions only: no network, no database, no clock. `extract` is the entry point; site
profiles refine it with CSS selectors per field (rules.py), never with site-specific code.
"""

from .record import ExtractedStory, extract
from .rules import BadExtractRules, ExtractRules

__all__ = ["BadExtractRules", "ExtractRules", "ExtractedStory", "extract"]
