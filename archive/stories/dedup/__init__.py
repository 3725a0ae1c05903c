"""Deduplication: URL variants and equal content into one story, copies and near-copies across
stories.

Pure functions over what extraction found; the ingest code stores their results in
`article_urls` and `near_duplicates`.
"""

from .groups import (
    COPY_REASONS,
    REASON_PRECEDENCE,
    CopyRelation,
    Grouping,
    PageSignals,
    UrlMembership,
    group_pages,
)
from .near import NearDuplicate, find_near_duplicates, shingle_hashes
from .urls import TRACKING_PARAMS, is_amp_url, is_mobile_url, normalize_url, site_of

__all__ = [
    "COPY_REASONS",
    "REASON_PRECEDENCE",
    "TRACKING_PARAMS",
    "CopyRelation",
    "Grouping",
    "NearDuplicate",
    "PageSignals",
    "UrlMembership",
    "find_near_duplicates",
    "group_pages",
    "is_amp_url",
    "is_mobile_url",
    "normalize_url",
    "shingle_hashes",
    "site_of",
]
