"""What deduplication must make of the demo sites, written by hand (not derived from the model).

Stories are named ``"site:/canonical/path"``.  All paths are on that story's site and are
written as the pages link them (query strings and fragments included); a consumer matching
captured URLs should normalise them first, since crawlers drop fragments and ``utm_*``
parameters before fetching.  Everything here holds at the demo clock's start
(2026-11-20T08:00:00Z) with no edits applied; tests/test_demo_sites.py checks it against the
running servers.
"""

from __future__ import annotations

NEWSLETTER = "?utm_source=newsletter&utm_medium=email"  # linked for every aggregator story


def _aggregator_story(slug: str) -> tuple[str, ...]:
    """The variants every aggregator story (kind "story") is reachable under."""
    return (
        f"/story/{slug}",  # canonical
        f"/amp/story/{slug}",  # AMP page, rel=canonical back
        f"/old/{slug}",  # 301 -> /story/<slug>
        f"/story/{slug}{NEWSLETTER}",  # tracking parameters (listing "Newsletter" link)
        f"/story/{slug}#comments",  # fragment (listing "Comments" link)
    )


def _translated_article(slug: str) -> tuple[str, ...]:
    return (
        f"/articles/{slug}",  # canonical
        f"/m/articles/{slug}",  # mobile page, rel=canonical back
        f"/print/articles/{slug}",  # identical bytes minus rel=canonical: same content only
    )


# Per story, every URL path that must map to that one story (first path = canonical URL).
SAME_STORY_URL_PATHS: dict[str, tuple[str, ...]] = {
    # -- aggregator ---------------------------------------------------------------------
    "aggregator:/story/agi-era-governance": _aggregator_story("agi-era-governance"),
    "aggregator:/story/open-weights-coding-leader": _aggregator_story("open-weights-coding-leader"),
    # The listings' "Editor's pick" links it with a trailing slash and tracking parameters.
    "aggregator:/story/cloud-export-battleground": (
        *_aggregator_story("cloud-export-battleground"),
        "/story/cloud-export-battleground/",
        "/story/cloud-export-battleground/?utm_campaign=x&ref=home",
    ),
    "aggregator:/story/eu-gpai-audit-guidance": _aggregator_story("eu-gpai-audit-guidance"),
    "aggregator:/story/datacenter-power-deals": _aggregator_story("datacenter-power-deals"),
    "aggregator:/story/on-device-assistants": _aggregator_story("on-device-assistants"),
    "aggregator:/story/syndicated-chatbot-ads": _aggregator_story("syndicated-chatbot-ads"),
    "aggregator:/story/chatbot-ads-analysis": _aggregator_story("chatbot-ads-analysis"),
    # JS-rendered: no AMP page; /old/ redirects to /live/.
    "aggregator:/live/live-agents": (
        "/live/live-agents",
        "/old/live-agents",
        f"/live/live-agents{NEWSLETTER}",
        "/live/live-agents#comments",
    ),
    # -- translated ---------------------------------------------------------------------
    "translated:/articles/frontier-lab-export-rules": _translated_article(
        "frontier-lab-export-rules"
    ),
    "translated:/articles/chatbot-ads-backlash": _translated_article("chatbot-ads-backlash"),
    "translated:/articles/robot-foundation-models": _translated_article("robot-foundation-models"),
    # Split stories: one story with both languages (hreflang-linked /en/ and /zh/ pages).
    "translated:/en/copyright-settlement-per-book": (
        "/en/copyright-settlement-per-book",
        "/zh/copyright-settlement-per-book",
    ),
    "translated:/en/homework-rules-chatbot-era": (
        "/en/homework-rules-chatbot-era",
        "/zh/homework-rules-chatbot-era",
    ),
    # Chinese only, GBK bytes.
    "translated:/zh/gbk-story": ("/zh/gbk-story",),
}

# Distinct live editorial stories per site at the start clock: one `articles` row each.
# The syndicated copy and its original are two stories (a near-duplicate pair, not merged).
# Not counted: the aggregator's /fault/ lab (see below) and the scheduled/draft stories.
LIVE_STORY_COUNT: dict[str, int] = {"aggregator": 9, "translated": 6}

# Cross-site near-duplicate: (the copy, the story it copies).  Same body paragraphs in both
# languages; different header, footer, title prefix, TL;DR/key data/FAQ, no cross-canonical.
SYNDICATED = (
    "aggregator:/story/syndicated-chatbot-ads",
    "translated:/articles/chatbot-ads-backlash",
)

# Same topic and some shared phrases, but different stories: never near-duplicates.
NOT_DUPLICATES: list[tuple[str, str]] = [
    ("aggregator:/story/chatbot-ads-analysis", "translated:/articles/chatbot-ads-backlash"),
    ("aggregator:/story/chatbot-ads-analysis", "aggregator:/story/syndicated-chatbot-ads"),
]

# The /fault/ lab serves one generic story.  These three deliver it (after 503s / a 429 /
# a delay) in the normal story template, each self-canonical: identical content, one story.
FAULT_SAME_CONTENT = ("/fault/flaky", "/fault/rate-limited", "/fault/slow")
# Never deliver a complete page: fetch_errors, no story.
FAULT_NO_STORY = ("/fault/reset", "/fault/bomb", "/fault/huge", "/fault/truncated")
# /fault/malformed carries the generic story's titles and paragraphs plus extra lines in
# broken markup; whether it joins the fault story above is not pinned down here.

# Stories that appear later: scheduled ones when the clock reaches their time, drafts only
# after DemoSites.publish(site, slug).  Their URL variants follow the same shapes as above.
SCHEDULED = {"translated:/articles/model-card-standard": "2026-11-20T14:00:00Z"}
DRAFTS = (
    "aggregator:/story/benchmark-contamination-audit",
    "translated:/articles/voice-cloning-rules",
)


def split_key(key: str) -> tuple[str, str]:
    """``"site:/path"`` -> ``("site", "/path")``."""
    site, path = key.split(":", 1)
    return site, path
