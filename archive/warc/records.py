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

# WARC-Target-URI of the resource records a browser capture adds beside the page's response:
# the prefix followed by the page URL.
RENDERED_DOM_URN_PREFIX = "urn:newsarc:rendered-dom:"
SCREENSHOT_URN_PREFIX = "urn:newsarc:screenshot:"
# The SQL LIKE pattern matching every rendered DOM's URL (the prefix holds no LIKE wildcard).
RENDERED_DOM_URL_LIKE = RENDERED_DOM_URN_PREFIX + "%"

# warcinfo fields: which site profile and crawl run wrote the file, and the profile's page
# patterns and extraction rules, so the WARCs alone can rebuild the catalog and the stories.
WARCINFO_PROFILE = "isPartOf"
WARCINFO_RUN_ID = "newsarc-run-id"
WARCINFO_PAGE_PATTERNS = "newsarc-page-patterns"
WARCINFO_EXTRACT_RULES = "newsarc-extract-rules"


def rendered_dom_urn(page_url: str) -> str:
    return RENDERED_DOM_URN_PREFIX + page_url


def screenshot_urn(page_url: str) -> str:
    return SCREENSHOT_URN_PREFIX + page_url
