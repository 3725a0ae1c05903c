"""Stories from URLs: every captured URL, and every URL a page points to as the same story, is
grouped into one story with a reason per URL (the `article_urls` table).

Pages are joined when they have the same normalized URL, through rel=canonical, rel=amphtml,
mobile alternates, hreflang alternates, redirects, and identical extracted content. Grouping is
union-find over normalized URLs, so the result depends only on the set of pages, never on the
order in which they arrive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from .urls import is_amp_url, is_mobile_url, normalize_url

# Why a URL belongs to its story, strongest first. A URL reached by several edges gets the
# strongest one: a redirect is a server's statement, AMP/mobile/hreflang links name a specific
# kind of variant, a rel=canonical declaration only says "I am that story", and equal content is
# an inference. 'canonical' is also the reason of the story's own canonical URL, and 'tracking'
# that of any other spelling of it (tracking parameters, fragment, trailing slash, case).
REASON_PRECEDENCE: tuple[str, ...] = (
    "redirect",
    "amp",
    "mobile",
    "hreflang",
    "canonical",
    "same_content",
)
_RANK = {reason: rank for rank, reason in enumerate(REASON_PRECEDENCE)}


@dataclass(frozen=True)
class PageSignals:
    """What extraction found on one captured page that says which story it belongs to."""

    url: str  # the captured URL
    captured_at: datetime  # for deterministic ordering
    canonical_url: str | None
    amp_url: str | None  # <link rel=amphtml>
    mobile_url: str | None  # <link rel=alternate media=...>
    alternates: dict[str, str]  # hreflang -> URL (may include x-default)
    content_hash: str | None  # hash of the normalised extracted content; None = not a story
    redirect_to: str | None = None  # for 3xx captures


@dataclass(frozen=True)
class UrlMembership:
    """One URL seen, the story it belongs to, and why (one of REASON_PRECEDENCE or 'tracking')."""

    url: str
    story_key: str
    reason: str


def group_pages(
    pages: Iterable[PageSignals],
) -> tuple[dict[str, str], list[UrlMembership]]:
    """Group pages into stories.

    Returns the story key of every normalized URL seen (captured or pointed to by a page), and
    one membership row per distinct raw URL, sorted by story key then URL. A story key is the
    normalized URL of the story's canonical URL: one that a member declares as rel=canonical or
    as an hreflang version and that is not an AMP or mobile page nor redirects away; among those
    the x-default, else English, else the smallest language tag, else one without a language;
    then the earliest captured, then the smallest URL.

    Pages without a content hash (listings, redirects) are never joined through content, and
    no link joins a page to its site's home page (or the home page to a page).
    """
    graph = _LinkGraph()
    for page in pages:
        graph.add(page)
    graph.link_same_content()

    members: dict[str, list[str]] = defaultdict(list)
    for node in graph.spellings:
        members[graph.find(node)].append(node)

    story_keys: dict[str, str] = {}
    rows: list[UrlMembership] = []
    for nodes in members.values():
        key = graph.choose_canonical(nodes)
        for node in nodes:
            story_keys[node] = key
            for raw in graph.spellings[node]:
                rows.append(UrlMembership(raw, key, graph.reason(raw, node, key)))
    rows.sort(key=lambda row: (row.story_key, row.url))
    return dict(sorted(story_keys.items())), rows


class _LinkGraph:
    """Normalized URLs joined by typed edges, with a union-find over them."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.spellings: dict[str, set[str]] = defaultdict(set)  # node -> raw URLs
        self.received: dict[str, set[str]] = defaultdict(set)  # node -> reasons pointing at it
        self.touched: dict[str, set[str]] = defaultdict(set)  # node -> every incident edge kind
        self.first_capture: dict[str, datetime] = {}
        self.declared_canonical: set[str] = set()  # nodes named by some rel=canonical
        self.declared_canonical_raw: set[str] = set()
        self.variants: set[str] = set()  # nodes declared as AMP or mobile versions
        self.redirect_sources: set[str] = set()
        self.languages: dict[str, set[str]] = defaultdict(set)  # node -> hreflang tags
        self.by_content: dict[str, set[str]] = defaultdict(set)

    def add(self, page: PageSignals) -> None:
        node = self._node(page.url)
        if node not in self.first_capture or page.captured_at < self.first_capture[node]:
            self.first_capture[node] = page.captured_at
        if page.content_hash is not None:
            self.by_content[page.content_hash].add(node)
        if page.canonical_url:
            target = self._node(page.canonical_url, base=page.url)
            self.declared_canonical.add(target)
            self.declared_canonical_raw.add(urljoin(page.url, page.canonical_url.strip()))
            self._link(node, target, "canonical")
        if page.amp_url:
            target = self._node(page.amp_url, base=page.url)
            self.variants.add(target)
            self._link(target, node, "amp")
        if page.mobile_url:
            target = self._node(page.mobile_url, base=page.url)
            self.variants.add(target)
            self._link(target, node, "mobile")
        for language, alternate in page.alternates.items():
            target = self._node(alternate, base=page.url)
            self.languages[target].add(language.strip().lower())
            self._link(target, node, "hreflang")
        if page.redirect_to:
            self.redirect_sources.add(node)
            self._link(node, self._node(page.redirect_to, base=page.url), "redirect")

    def link_same_content(self) -> None:
        for nodes in self.by_content.values():
            first, *others = sorted(nodes)
            for other in others:
                self._link(other, first, "same_content")
                self.received[first].add("same_content")

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def choose_canonical(self, nodes: list[str]) -> str:
        # Tiers, best first: URLs declared canonical or as a language version (each hreflang
        # version is canonical for its language, and counting them whether or not they were
        # captured keeps the key stable as more captures arrive); any URL; anything at all. AMP
        # and mobile variants and URLs that redirect away are never chosen while another is left.
        plain = [n for n in nodes if not self._variant(n) and n not in self.redirect_sources]
        declared = [n for n in plain if n in self.declared_canonical or n in self.languages]
        candidates = declared or plain or [n for n in nodes if not self._variant(n)] or nodes
        return min(candidates, key=self._preference)

    def reason(self, raw: str, node: str, key: str) -> str:
        if node == key:
            canonical_spellings = self.spellings[node] & (self.declared_canonical_raw | {key})
            if not canonical_spellings:
                canonical_spellings = {min(self.spellings[node])}
            return "canonical" if raw in canonical_spellings else "tracking"
        reasons = set(self.received[node])
        if is_amp_url(raw):
            reasons.add("amp")
        if is_mobile_url(raw):
            reasons.add("mobile")
        # A declared canonical that lost to another one has no edge pointing at it; the edges it
        # touches still say how it joined.
        return min(reasons or self.touched[node], key=_RANK.__getitem__)

    def _node(self, url: str, base: str | None = None) -> str:
        raw = urljoin(base, url.strip()) if base else url.strip()
        node = normalize_url(raw)
        self.parent.setdefault(node, node)
        self.spellings[node].add(raw)
        return node

    def _link(self, receiver: str, other: str, kind: str) -> None:
        """Join two URLs; `receiver` is the one that joins the story because of `kind`."""
        if _is_site_root(receiver) != _is_site_root(other):
            # Removed stories redirect to the home page, and some sites point every page's
            # canonical or x-default there: such a link would chain all stories into one.
            return
        if receiver != other:
            self.received[receiver].add(kind)
            self.touched[receiver].add(kind)
            self.touched[other].add(kind)
        a, b = self.find(receiver), self.find(other)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def _variant(self, node: str) -> bool:
        return node in self.variants or is_amp_url(node) or is_mobile_url(node)

    def _preference(self, node: str) -> tuple:
        languages = self.languages.get(node, set())
        if "x-default" in languages:
            language_rank: tuple = (0, "")
        elif any(tag == "en" or tag.startswith("en-") for tag in languages):
            language_rank = (1, "")
        elif languages:
            language_rank = (2, min(languages))
        else:
            language_rank = (3, "")
        captured = self.first_capture.get(node)
        capture_rank = (0, captured) if captured is not None else (1, None)
        return (language_rank, capture_rank, node)


def _is_site_root(node: str) -> bool:
    parts = urlsplit(node)
    return parts.path == "/" and not parts.query
