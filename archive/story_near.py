"""Near-duplicate stories, kept up to date for the stories whose text changed.

Each story's latest text is sketched (archive/dedup/near.py) and its LSH band keys stored in
`story_bands`; a changed story finds its candidates with one join on those keys, and only the
candidate pairs are compared exactly. A pair depends on nothing but the two texts and which story
was seen first, so updating the changed stories gives what a full recomputation would.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from archive.dedup.near import confirm_pairs, make_sketch
from archive.staging import stage_keys

BANDS = pa.schema([("band", pa.int32()), ("band_hash", pa.uint64()), ("article_id", pa.string())])
NEAR = pa.schema([
    ("article_id", pa.string()), ("copy_of", pa.string()), ("similarity", pa.float64()),
])  # fmt: skip

_TEXTS = """
    SELECT a.article_id, a.first_seen_at,
           array_to_string(list_concat(v.body_en, v.body_zh), chr(10)) AS text
    FROM articles a
    JOIN article_versions v ON v.article_id = a.article_id AND v.version = a.version_count
    WHERE a.article_id IN (SELECT article_id FROM {ids})
"""


def update_near_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Re-sketch the stories in temp table `resketch` (article_id) and refresh their pairs."""
    con.execute(
        "DELETE FROM near_duplicates WHERE article_id IN (SELECT article_id FROM resketch) "
        "OR copy_of IN (SELECT article_id FROM resketch)"
    )
    con.execute("DELETE FROM story_bands WHERE article_id IN (SELECT article_id FROM resketch)")
    unit_hashes: dict[str, int] = {}
    fresh: dict[str, tuple] = {}
    for article_id, first_seen_at, text in con.execute(_TEXTS.format(ids="resketch")).fetchall():
        sketch = make_sketch(text or "", unit_hashes)
        if sketch is not None:
            fresh[article_id] = (first_seen_at, sketch)
    if not fresh:
        return
    bands = [{"band": band, "band_hash": key, "article_id": a}
             for a, (_, s) in fresh.items() for band, key in s.bands]  # fmt: skip
    _append(con, "story_bands", bands, BANDS)
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
    others = set(np.concatenate([left, right]).tolist()) - fresh.keys()
    sketches = {a: sketch for a, (_, sketch) in fresh.items()}
    first_seen = {a: first for a, (first, _) in fresh.items()}
    for article_id, (first, sketch) in _known(con, others, unit_hashes).items():
        sketches[article_id], first_seen[article_id] = sketch, first
    pairs: dict[tuple[str, str], float] = {}
    for (a, b), similarity in confirm_pairs(left, right, sketches).items():
        (_, original), (_, copy) = sorted(((first_seen[a], a), (first_seen[b], b)))
        pairs[(copy, original)] = round(similarity, 4)
    rows = [{"article_id": c, "copy_of": o, "similarity": s} for (c, o), s in sorted(pairs.items())]
    _append(con, "near_duplicates", rows, NEAR)


def _known(con, ids: set[str], unit_hashes: dict) -> dict[str, tuple]:
    """Sketches of unchanged candidate stories, rebuilt from their stored text (only these few)."""
    if not ids:
        return {}
    stage_keys(con, "near_others", "article_id", ids)
    found = {}
    for article_id, first_seen_at, text in con.execute(_TEXTS.format(ids="near_others")).fetchall():
        sketch = make_sketch(text or "", unit_hashes)
        if sketch is not None:
            found[article_id] = (first_seen_at, sketch)
    return found


def _append(con, table: str, rows: list[dict], schema: pa.Schema) -> None:
    if not rows:
        return
    con.register("near_batch", pa.Table.from_pylist(rows, schema=schema))
    # `table` is one of this module's constants; values come only through the Arrow batch.
    con.execute(f"INSERT INTO {table} SELECT * FROM near_batch")
    con.unregister("near_batch")
