"""Near-duplicate stories, kept up to date for the stories whose text or copy relations changed.

Each story's latest text is sketched (archive/stories/dedup/near.py) and its LSH band keys stored in
`story_bands`; a changed story finds its candidates with one join on those keys, and only the
candidate pairs are compared exactly. A pair depends on nothing but the two texts and which story
was seen first, so updating the changed stories gives what a full recomputation would. Copies
that a page declares across sites (`story_copies`: rel=canonical, one-sided hreflang, AMP or
mobile links, equal content) are pairs whatever their similarity, in their declared direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from archive.catalog.staging import insert_rows, stage_keys
from archive.stories.dedup.groups import COPY_REASONS
from archive.stories.dedup.near import Sketch, confirm_pairs, jaccard, make_sketch

BANDS = pa.schema([("band", pa.int32()), ("band_hash", pa.uint64()), ("article_id", pa.string())])
NEAR = pa.schema([
    ("article_id", pa.string()), ("copy_of", pa.string()), ("similarity", pa.float64()),
    ("reason", pa.string()), ("site", pa.string()),
])  # fmt: skip
TEXT = "text"  # the reason of a pair found by its text alone

_TEXTS = """
    SELECT a.article_id, a.first_seen_at, a.site,
           array_to_string(list_concat(v.body_en, v.body_zh), chr(10)) AS text
    FROM articles a
    JOIN article_versions v ON v.article_id = a.article_id AND v.version = a.version_count
    WHERE a.article_id IN (SELECT article_id FROM {ids})
"""


@dataclass(frozen=True)
class _Story:
    first_seen_at: datetime
    site: str | None
    sketch: Sketch | None  # None when the latest version has no body text


def update_near_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Re-sketch the stories in temp table `resketch` (article_id) and refresh their pairs: the
    near-copies their text shows, and the copies `story_copies` declares.

    Reads: resketch; articles, article_versions, story_copies, story_bands.
    Writes: (scratch: near_others); near_duplicates, story_bands."""
    con.execute(
        "DELETE FROM near_duplicates WHERE article_id IN (SELECT article_id FROM resketch) "
        "OR copy_of IN (SELECT article_id FROM resketch)"
    )
    con.execute("DELETE FROM story_bands WHERE article_id IN (SELECT article_id FROM resketch)")
    unit_hashes: dict[str, int] = {}
    stories = _read(con, "resketch", unit_hashes)
    pairs = _text_pairs(con, stories, unit_hashes)
    for (copy, original), found in _declared_copies(con, stories, unit_hashes).items():
        pairs.pop((original, copy), None)  # a declared copy is one pair, in its direction
        pairs[(copy, original)] = found
    rows = [{"article_id": c, "copy_of": o, "similarity": similarity, "reason": reason,
             "site": stories[c].site}
            for (c, o), (similarity, reason) in sorted(pairs.items())]  # fmt: skip
    insert_rows(con, "near_duplicates", rows, NEAR)


def _text_pairs(con, stories: dict[str, _Story], unit_hashes: dict) -> dict[tuple, tuple]:
    """(copy, original) -> (similarity, 'text') for the re-sketched stories' near-copies (the
    later seen is the copy); `stories` gains the unchanged stories of those pairs."""
    fresh = {a: story.sketch for a, story in stories.items() if story.sketch is not None}
    if not fresh:
        return {}
    bands = [{"band": band, "band_hash": key, "article_id": a}
             for a, sketch in fresh.items() for band, key in sketch.bands]  # fmt: skip
    insert_rows(con, "story_bands", bands, BANDS)
    # Each unordered pair once; the arrays go to numpy without a Python tuple per pair.
    candidates = con.execute(
        """
        SELECT DISTINCT least(n.article_id, o.article_id) AS a,
               greatest(n.article_id, o.article_id) AS b
        FROM story_bands n
        JOIN story_bands o ON o.band = n.band AND o.band_hash = n.band_hash
        WHERE n.article_id IN (SELECT article_id FROM resketch) AND o.article_id <> n.article_id
        """
    ).fetchnumpy()
    left, right = candidates["a"], candidates["b"]
    _read_more(con, stories, set(np.concatenate([left, right]).tolist()), unit_hashes)
    sketches = {a: story.sketch for a, story in stories.items() if story.sketch is not None}
    pairs = {}
    for (a, b), similarity in confirm_pairs(left, right, sketches).items():
        (_, original), (_, copy) = sorted(
            ((stories[a].first_seen_at, a), (stories[b].first_seen_at, b))
        )
        pairs[(copy, original)] = (round(similarity, 4), TEXT)
    return pairs


def _declared_copies(con, stories: dict[str, _Story], unit_hashes: dict) -> dict[tuple, tuple]:
    """(copy, original) -> (similarity, reason) for the copies `story_copies` declares between
    two existing stories, one of them re-sketched; one pair per two stories, the strongest reason
    first. `stories` gains the other ends."""
    rows = con.execute(
        """
        WITH relations AS (
            SELECT DISTINCT article_id(copy_key) AS copy_id,
                   article_id(original_key) AS original_id, reason
            FROM story_copies WHERE copy_key <> original_key
        )
        SELECT * FROM relations
        WHERE copy_id IN (SELECT article_id FROM resketch)
           OR original_id IN (SELECT article_id FROM resketch)
        """
    ).fetchall()
    if not rows:
        return {}
    _read_more(con, stories, {a for copy, original, _ in rows for a in (copy, original)},
               unit_hashes)  # fmt: skip
    strongest: dict[frozenset, tuple] = {}
    for copy, original, reason in rows:
        if copy in stories and original in stories:
            pair = frozenset((copy, original))
            candidate = (COPY_REASONS.index(reason), copy, original)
            strongest[pair] = min(strongest.get(pair, candidate), candidate)
    return {
        (copy, original): (round(jaccard(stories[copy].sketch, stories[original].sketch), 4),
                           COPY_REASONS[rank])
        for rank, copy, original in strongest.values()
    }  # fmt: skip


def _read(con, ids_table: str, unit_hashes: dict) -> dict[str, _Story]:
    """The stories listed in temp table `ids_table` that exist, with their latest text's sketch."""
    return {
        article_id: _Story(first_seen_at, site, make_sketch(text or "", unit_hashes))
        for article_id, first_seen_at, site, text in con.execute(
            _TEXTS.format(ids=ids_table)
        ).fetchall()
    }


def _read_more(con, stories: dict[str, _Story], ids: set[str], unit_hashes: dict) -> None:
    """Add the stories `ids` not read yet (unchanged ones, rebuilt from their stored text)."""
    missing = ids - stories.keys()
    if missing:
        stage_keys(con, "near_others", "article_id", missing)
        stories.update(_read(con, "near_others", unit_hashes))
