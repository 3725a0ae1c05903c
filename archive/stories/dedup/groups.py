"""Stories from URLs: every captured URL, and every URL a page points to as the same story, is
grouped into one story with a reason per URL (the `article_urls` table).

Pages are joined when they have the same normalized URL, through rel=canonical, rel=amphtml,
mobile alternates, hreflang alternates, redirects, and identical extracted content. Grouping is
union-find over normalized URLs, so the result depends only on the set of pages, never on the
order in which they arrive.

A copy is not the original: a link is a publisher's word about its own pages, so only two URLs of
one site (`site_of`) join, except through a redirect (the server's statement) or hreflang links
that both pages declare (a publisher's EN and ZH editions on two domains). Any other link across
sites, and identical content on two sites, makes a *copy relation* instead: the copy stays a
story of its own, recorded as a copy of the original (`near_duplicates`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from .urls import is_amp_url, is_mobile_url, normalize_url, site_of

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

# Why a page of one site is a copy of another site's URL, strongest first: a rel=canonical across
# sites is how a syndicated copy names its original; AMP, mobile and one-sided hreflang links
# name a variant; equal content is an inference. One relation per (copy, original) keeps the
# strongest.
COPY_REASONS: tuple[str, ...] = ("canonical", "amp", "mobile", "hreflang", "same_content")
_COPY_RANK = {reason: rank for rank, reason in enumerate(COPY_REASONS)}


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


@dataclass(frozen=True, order=True)
class CopyRelation:
    """The page at `copy_url` copies `original_url`, a URL of another site (both normalized), for
    `reason` (one of COPY_REASONS). The two stay distinct stories."""

    copy_url: str
    original_url: str
    reason: str


class Grouping(NamedTuple):
    """What `group_pages` makes of a set of pages."""

    story_keys: dict[str, str]  # normalized URL -> story key
    memberships: list[UrlMembership]  # one per raw URL, by story key then URL
    copies: list[CopyRelation]  # sorted


def group_pages(pages: Iterable[PageSignals]) -> Grouping:
    """Group pages into stories.

    Returns the story key of every normalized URL seen (captured, or pointed to by a link that
    joins), one membership row per distinct raw URL, sorted by story key then URL, and the copy
    relations between stories. A story key is the normalized URL of the story's canonical URL:
    one that a member declares as rel=canonical or as an hreflang version and that is not an AMP
    or mobile page nor redirects away; among those the x-default, else English, else the
    smallest language tag, else one without a language; then the earliest captured, then the
    smallest URL.

    Links join two URLs of one site; across sites only redirects join, and hreflang links that
    both pages declare. Another link across sites makes a copy relation: the page declaring a
    rel=canonical or hreflang link is the copy of the URL it names, an AMP or mobile URL a page
    declares is a copy of that page, and of pages with equal content on several sites, each
    other site's earliest captured one is a copy of the earliest captured page.

    Pages without a content hash (listings, redirects) are never joined through content, and
    no link joins a page to its site's home page (or the home page to a page), nor relates them.
    """
    graph = _LinkGraph()
    for page in pages:
        graph.add(page)
    graph.link_reciprocal_alternates()
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
    return Grouping(dict(sorted(story_keys.items())), rows, graph.copy_relations())


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
        self.alternates: dict[str, set[str]] = defaultdict(set)  # node -> hreflang targets
        # hreflang links to another site, (page node, raw target, tag): joined or copies once
        # every page is known
        self.foreign_alternates: set[tuple[str, str, str]] = set()
        self.copies: dict[tuple[str, str], str] = {}  # (copy, original) -> strongest reason

    def add(self, page: PageSignals) -> None:
        node = self._node(page.url)
        if node not in self.first_capture or page.captured_at < self.first_capture[node]:
            self.first_capture[node] = page.captured_at
        if page.content_hash is not None:
            self.by_content[page.content_hash].add(node)
        if page.canonical_url:
            raw = urljoin(page.url, page.canonical_url.strip())
            if self._joins(node, raw, "canonical", copy_is_target=False):
                target = self._node(raw)
                self.declared_canonical.add(target)
                self.declared_canonical_raw.add(raw)
                self._link(node, target, "canonical")
        for kind, url in (("amp", page.amp_url), ("mobile", page.mobile_url)):
            raw = urljoin(page.url, url.strip()) if url else None
            if raw and self._joins(node, raw, kind, copy_is_target=True):
                target = self._node(raw)
                self.variants.add(target)
                self._link(target, node, kind)
        for language, alternate in page.alternates.items():
            raw = urljoin(page.url, alternate.strip())
            self.alternates[node].add(normalize_url(raw))
            if site_of(raw) == site_of(node):
                self._link_alternate(node, raw, language)
            else:
                self.foreign_alternates.add((node, raw, language))
        if page.redirect_to:
            self.redirect_sources.add(node)
            self._link(node, self._node(page.redirect_to, base=page.url), "redirect")

    def link_reciprocal_alternates(self) -> None:
        """hreflang links across sites join when the other page names this one too; a one-sided
        link makes the declaring page a copy of the page it names."""
        for node, raw, language in self.foreign_alternates:
            target = normalize_url(raw)
            if node in self.alternates.get(target, ()):
                self._link_alternate(node, raw, language)
            else:
                self._relate(node, target, "hreflang")

    def link_same_content(self) -> None:
        for nodes in self.by_content.values():
            by_site: dict[str, list[str]] = defaultdict(list)
            for node in nodes:
                by_site[site_of(node)].append(node)
            for site_nodes in by_site.values():
                first, *others = sorted(site_nodes)
                for other in others:
                    self._link(other, first, "same_content")
                    self.received[first].add("same_content")
            if len(by_site) > 1:
                original = min(nodes, key=self._capture_order)
                for site, site_nodes in by_site.items():
                    if site != site_of(original):
                        copy = min(site_nodes, key=self._capture_order)
                        self._relate(copy, original, "same_content")

    def copy_relations(self) -> list[CopyRelation]:
        """The copy relations between different stories (a redirect may have joined the two)."""
        return sorted(
            CopyRelation(copy, original, reason)
            for (copy, original), reason in self.copies.items()
            if not (
                copy in self.parent
                and original in self.parent
                and self.find(copy) == self.find(original)
            )
        )

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
            canonical_spellings = {
                s for s in self.spellings[node] if s == key or s in self.declared_canonical_raw
            }
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

    def _joins(self, node: str, raw: str, reason: str, *, copy_is_target: bool) -> bool:
        """Whether a link from `node` to `raw` joins them (both on one site). A link across sites
        relates a copy to its original instead: the link's target is the copy when
        `copy_is_target` (an AMP or mobile version), else the linking page (a rel=canonical)."""
        if site_of(raw) == site_of(node):
            return True
        target = normalize_url(raw)
        copy, original = (target, node) if copy_is_target else (node, target)
        self._relate(copy, original, reason)
        return False

    def _link_alternate(self, node: str, raw: str, language: str) -> None:
        target = self._node(raw)
        self.languages[target].add(language.strip().lower())
        self._link(target, node, "hreflang")

    def _relate(self, copy: str, original: str, reason: str) -> None:
        if _is_site_root(copy) != _is_site_root(original):
            return  # as `_link`: a link to the home page says nothing about a story
        known = self.copies.get((copy, original))
        if known is None or _COPY_RANK[reason] < _COPY_RANK[known]:
            self.copies[(copy, original)] = reason

    def _capture_order(self, node: str) -> tuple:
        return (self.first_capture[node], node)

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
