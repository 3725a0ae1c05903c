"""Incremental URL grouping: regroup only the stories that new grouping signals touch.

Grouping is union-find over normalised URLs (archive/dedup/groups.py). A new signal (a URL seen
for the first time, a page whose canonical, hreflang or content changed, a new redirect) can only
change the stories whose URLs it mentions, so those stories' pages are regrouped together, from
all the signals they ever showed, which gives exactly what grouping the whole archive would.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import duckdb
import pyarrow as pa

from archive.dedup.groups import PageSignals, group_pages
from archive.dedup.urls import normalize_url
from archive.staging import stage_keys


@dataclass
class Regrouping:
    """Story keys whose URL set or reasons changed (to be rebuilt) and keys that are gone."""

    rebuilt: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)


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
    pages = [_page(*row) for row in con.execute(
        "SELECT url, signals, first_captured_at FROM page_signals "
        "WHERE node IN (SELECT node FROM component_nodes) ORDER BY url, signals"
    ).fetchall()]  # fmt: skip
    _keys, memberships = group_pages(pages)
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
    con.register("url_batch", pa.Table.from_pylist(rows, schema=URLS))
    con.execute("INSERT INTO story_urls SELECT * FROM url_batch ON CONFLICT DO NOTHING")
    con.unregister("url_batch")
    dropped = {key for key in before if key not in after or key in changed}
    return Regrouping(rebuilt=changed, dropped=dropped)
