"""newsarc's record conventions: the names and values its WARC files use beyond the standard.

The writer, the crawler and every reader (catalog ingest, stories, reports) spell these the same
way because they import them from here; a WARC written today must read the same way in ten years.
"""

from __future__ import annotations

# A file is `<name>.warc.gz.open` while a writer appends to it; closed files lose the suffix.
OPEN_SUFFIX = ".open"

# WARC/1.1 revisit profiles (WARC-Profile of a revisit record).
PROFILE_IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

# A fetch that failed for good is a metadata record with this Content-Type and a JSON body.
FETCH_ERROR_CONTENT_TYPE = "application/vnd.newsarc.fetch-error+json"

# WARC-Target-URI of the resource records a browser capture adds beside the page's response,
# named as Browsertrix Crawler names its own (`urn:<kind>:<page url>`), so replay and QA tools
# that know them (pywb, ReplayWeb.page, Browsertrix's QA) find them: the page's text as the
# browser rendered it (text/plain), a viewport and a full-page screenshot (image/png).
# Browsertrix keeps no rendered DOM; newsarc extracts stories from it, under the same scheme.
TEXT_URN_PREFIX = "urn:text:"
VIEW_URN_PREFIX = "urn:view:"
FULL_PAGE_URN_PREFIX = "urn:fullPage:"
RENDERED_DOM_URN_PREFIX = "urn:dom:"
# What newsarc wrote before: still read, so older archives reindex to the same catalog.
LEGACY_RENDERED_DOM_URN_PREFIX = "urn:newsarc:rendered-dom:"
LEGACY_SCREENSHOT_URN_PREFIX = "urn:newsarc:screenshot:"
RENDERED_DOM_URN_PREFIXES = (RENDERED_DOM_URN_PREFIX, LEGACY_RENDERED_DOM_URN_PREFIX)
# SQL LIKE patterns matching every rendered DOM's URL (no prefix holds a LIKE wildcard).
RENDERED_DOM_URL_LIKES = tuple(prefix + "%" for prefix in RENDERED_DOM_URN_PREFIXES)

# warcinfo fields: which site profile and crawl run wrote the file, and the profile's page
# patterns and extraction rules, so the WARCs alone can rebuild the catalog and the stories.
WARCINFO_PROFILE = "isPartOf"
WARCINFO_RUN_ID = "newsarc-run-id"
WARCINFO_PAGE_PATTERNS = "newsarc-page-patterns"
WARCINFO_EXTRACT_RULES = "newsarc-extract-rules"


def rendered_dom_urn(page_url: str) -> str:
    return RENDERED_DOM_URN_PREFIX + page_url


def text_urn(page_url: str) -> str:
    return TEXT_URN_PREFIX + page_url


def view_urn(page_url: str) -> str:
    return VIEW_URN_PREFIX + page_url


def full_page_urn(page_url: str) -> str:
    return FULL_PAGE_URN_PREFIX + page_url


def rendered_dom_page_url(urn: str) -> str | None:
    """The page a rendered DOM was made from, whichever convention named it; None for any
    other URI."""
    for prefix in RENDERED_DOM_URN_PREFIXES:
        if urn.startswith(prefix):
            return urn[len(prefix) :]
    return None
