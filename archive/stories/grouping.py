"""Incremental URL grouping: regroup only the stories that new grouping signals touch.

Grouping is union-find over normalised URLs (stories/dedup/groups.py). A new signal (a URL seen
for the first time, a page whose canonical, hreflang or content changed, a new redirect) can only
change the stories whose URLs it mentions, so those stories' pages are regrouped together, from
all the signals they ever showed, which gives exactly what grouping the whole archive would.
Copy relations between stories of two sites (`story_copies`) are regrouped with them: the
regrouped pages take in every story a copy relation links to them, so each relation is decided
again from all the pages it depends on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import duckdb
import pyarrow as pa

from archive.catalog.staging import insert_rows, stage_keys
from archive.stories.dedup.groups import Grouping, PageSignals, group_pages
from archive.stories.dedup.urls import normalize_url


@dataclass
class Regrouping:
    """Story keys whose URL set or reasons changed (to be rebuilt), keys that are gone, and keys
    of stories whose copy relations changed (their declared copies to be refreshed)."""

    rebuilt: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    recopied: set[str] = field(default_factory=set)


def _page(url: str, signals: str, first_captured_at: datetime) -> PageSignals:
    found = json.loads(signals)
    return PageSignals(
        url=url,
        captured_at=first_captured_at,
        canonical_url=found.get("canonical"),
        amp_url=found.get("amp"),
        mobile_url=found.get("mobile"),
        alternates=found.get("alternates") or {},
        content_hash=found.get("content"),
        redirect_to=found.get("redirect"),
    )


def mentioned_nodes(page: PageSignals) -> set[str]:
    """Every normalised URL a page's signals name, its own included."""
    named = [page.canonical_url, page.amp_url, page.mobile_url, page.redirect_to,
             *page.alternates.values()]  # fmt: skip
    nodes = {normalize_url(page.url.strip())}
    nodes.update(normalize_url(urljoin(page.url, u.strip())) for u in named if u)
    return nodes


URLS = pa.schema([
    ("url", pa.string()), ("node", pa.string()), ("story_key", pa.string()),
    ("reason", pa.string()),
])  # fmt: skip
COPIES = pa.schema([
    ("copy_node", pa.string()), ("original_node", pa.string()), ("reason", pa.string()),
    ("copy_key", pa.string()), ("original_key", pa.string()),
])  # fmt: skip


def regroup_stories(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the new grouping signals into the stories' URLs and copy relations, and list the
    stories that changed shape.

    Reads: novel_signals; page_signals, story_urls, story_copies.
    Writes: regrouped_keys (rebuilt: URL set or reasons changed), dropped_keys (their article
    rows go), recopied_keys (copy relations changed) (scratch: touched_nodes, component_nodes,
    linked_nodes); story_urls, story_copies."""
    regrouping = regroup(con)
    stage_keys(con, "regrouped_keys", "story_key", regrouping.rebuilt)
    stage_keys(con, "dropped_keys", "story_key", regrouping.dropped)
    stage_keys(con, "recopied_keys", "story_key", regrouping.recopied)


def regroup(con: duckdb.DuckDBPyConnection) -> Regrouping:
    """Fold `novel_signals` into `story_urls`; say which stories changed shape."""
    novel = [_page(*row) for row in con.execute(
        "SELECT url, signals, first_captured_at FROM novel_signals"
    ).fetchall()]  # fmt: skip
    if not novel:
        return Regrouping()
    touched: set[str] = set()
    for page in novel:
        touched |= mentioned_nodes(page)
    stage_keys(con, "touched_nodes", "node", touched)
    # Pages with the same content join through it; the component is every node of every story
    # a touched node already belongs to.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE component_nodes AS
        WITH seeds AS (
            SELECT node FROM touched_nodes
            UNION SELECT p.node FROM page_signals p
            WHERE p.content IN (SELECT content FROM novel_signals WHERE content IS NOT NULL)
        ), stories AS (
            SELECT DISTINCT story_key FROM story_urls WHERE node IN (SELECT node FROM seeds)
        )
        SELECT node FROM seeds
        UNION SELECT node FROM story_urls WHERE story_key IN (SELECT story_key FROM stories)
        """
    )
    _take_in_copy_relations(con)
    pages = [_page(*row) for row in con.execute(
        "SELECT url, signals, first_captured_at FROM page_signals "
        "WHERE node IN (SELECT node FROM component_nodes) ORDER BY url, signals"
    ).fetchall()]  # fmt: skip
    grouping = group_pages(pages)
    memberships = grouping.memberships
    old = con.execute(
        "SELECT url, story_key, reason FROM story_urls "
        "WHERE node IN (SELECT node FROM component_nodes)"
    ).fetchall()
    before: dict[str, set] = defaultdict(set)
    for url, key, reason in old:
        before[key].add((url, reason))
    after: dict[str, set] = defaultdict(set)
    for m in memberships:
        after[m.story_key].add((m.url, m.reason))
    changed = {key for key, urls in after.items() if before.get(key) != urls}
    rows = [{"url": m.url, "node": normalize_url(m.url), "story_key": m.story_key,
             "reason": m.reason} for m in memberships]  # fmt: skip
    con.execute("DELETE FROM story_urls WHERE node IN (SELECT node FROM component_nodes)")
    insert_rows(con, "story_urls", rows, URLS, on_conflict="DO NOTHING")
    dropped = {key for key in before if key not in after or key in changed}
    return Regrouping(rebuilt=changed, dropped=dropped, recopied=_store_copies(con, grouping))


def _take_in_copy_relations(con: duckdb.DuckDBPyConnection) -> None:
    """Grow `component_nodes` until no stored copy relation leaves it: add the other end of each
    relation and every node of that end's story. Then every relation touching the component is
    decided again from pages in it (a one-sided hreflang link needs both pages, equal content on
    several sites every page that has it)."""
    while True:
        linked = con.execute(
            """
            SELECT original_node FROM story_copies
            WHERE copy_node IN (SELECT node FROM component_nodes)
            UNION SELECT copy_node FROM story_copies
            WHERE original_node IN (SELECT node FROM component_nodes)
            EXCEPT SELECT node FROM component_nodes
            """
        ).fetchall()
        if not linked:
            return
        stage_keys(con, "linked_nodes", "node", (node for (node,) in linked))
        con.execute(
            """
            INSERT INTO component_nodes
            SELECT node FROM linked_nodes
            UNION SELECT node FROM story_urls WHERE story_key IN (
                SELECT story_key FROM story_urls WHERE node IN (SELECT node FROM linked_nodes))
            EXCEPT SELECT node FROM component_nodes
            """
        )


def _store_copies(con: duckdb.DuckDBPyConnection, grouping: Grouping) -> set[str]:
    """Replace the component's copy relations with the regrouped ones; return the story keys at
    either end of a relation that appeared, went or moved to another story."""
    keys = grouping.story_keys
    rows = [{"copy_node": c.copy_url, "original_node": c.original_url, "reason": c.reason,
             "copy_key": keys.get(c.copy_url), "original_key": keys.get(c.original_url)}
            for c in grouping.copies]  # fmt: skip
    old = con.execute(
        "SELECT copy_node, original_node, reason, copy_key, original_key FROM story_copies "
        "WHERE copy_node IN (SELECT node FROM component_nodes) "
        "OR original_node IN (SELECT node FROM component_nodes)"
    ).fetchall()
    new = {tuple(row.values()) for row in rows}
    moved = new.symmetric_difference(old)
    if not moved:
        return set()
    con.execute(
        "DELETE FROM story_copies WHERE copy_node IN (SELECT node FROM component_nodes) "
        "OR original_node IN (SELECT node FROM component_nodes)"
    )
    insert_rows(con, "story_copies", rows, COPIES)
    return {key for row in moved for key in row[3:] if key is not None}
