"""Deduplication: URL variants and equal content into one story, near-copies across stories.

Pure functions over what extraction found; the ingest code stores their results in
`article_urls` and `near_duplicates`.
"""

from .groups import REASON_PRECEDENCE, PageSignals, UrlMembership, group_pages
from .near import NearDuplicate, find_near_duplicates, shingle_hashes
from .urls import TRACKING_PARAMS, is_amp_url, is_mobile_url, normalize_url

__all__ = [
    "REASON_PRECEDENCE",
    "TRACKING_PARAMS",
    "NearDuplicate",
    "PageSignals",
    "UrlMembership",
    "find_near_duplicates",
    "group_pages",
    "is_amp_url",
    "is_mobile_url",
    "normalize_url",
    "shingle_hashes",
]
