"""The rows of new versions, their aligned paragraphs, and the diffs of edits.

Each new version's record is merged field by field from the extractions the looks chose
(`new_versions.sources`, one per story_content.MERGED_FIELDS); the values are read out of the
extracted JSON in SQL. Python only writes the paragraph diffs of `edited` changes, which are
few: a reader's diff is text work, not set work.
"""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from archive.stories.boilerplate import stage_boilerplate_free_bodies
from archive.stories.content import CONTENT_FIELDS, MERGED_FIELDS
from archive.stories.diff import version_diff

_LISTS = ("tldr_en", "tldr_zh", "body_en", "body_zh", "tags")
_TIMES = ("published_at", "updated_at")
# The structured fields are typed columns (schema.sql), so Parquet exports keep their shape: SQL
# turning a JSON value into each type, and its empty value. An FAQ entry has the keys of the
# languages it was found in; from_json gives the others as NULL.
_FAQ_SHAPE = json.dumps([dict.fromkeys(("question_en", "answer_en", "question_zh", "answer_zh"),
                                       "VARCHAR")])  # fmt: skip
_TYPED = {
    "scores": (lambda v: f"CAST({v} AS MAP(VARCHAR, DOUBLE))", "MAP {}"),
    "key_data": (lambda v: f"CAST({v} AS VARCHAR[][])", "[]"),
    "faq": (lambda v: f"from_json({v}, '{_FAQ_SHAPE}')", "[]"),
}


def _value(name: str) -> str:
    """SQL for field `name` of a version from its source's JSON value `v_<name>`."""
    column = f"v_{name}"
    if name in _LISTS:
        return f"coalesce(CAST({column} AS VARCHAR[]), [])"
    if name in _TIMES:
        return f"CAST(json_extract_string({column}, '$') AS TIMESTAMPTZ)"
    if name in _TYPED:
        typed, empty = _TYPED[name]
        return f"coalesce({typed(column)}, {empty})"
    return f"json_extract_string({column}, '$')"


def stage_version_rows(con: duckdb.DuckDBPyConnection) -> None:
    """The rows analysts read of every new version, and its aligned paragraph pairs: each
    field's value read out of the source extraction's JSON, bodies without boilerplate.

    Reads: new_versions, site_boilerplate_lists; extractions.
    Writes: version_sources, clean_bodies, source_values, version_values, version_rows,
    pair_rows."""
    paths = ", ".join(f"'$.{name}'" for name in MERGED_FIELDS)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE version_sources AS "
        "SELECT DISTINCT unnest(sources) AS capture_id FROM new_versions"
    )
    stage_boilerplate_free_bodies(con, "version_sources")
    # A site's boilerplate paragraphs leave the bodies analysts read, as they left the
    # fingerprints.
    body_en, body_zh = MERGED_FIELDS.index("body_en") + 1, MERGED_FIELDS.index("body_zh") + 1
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE source_values AS
        SELECT e.capture_id,
               list_transform(json_extract(e.record, [{paths}]), (v, i) ->
                   CASE WHEN c.capture_id IS NULL THEN v
                        WHEN i = {body_en} THEN to_json(c.body_en)
                        WHEN i = {body_zh} THEN to_json(c.body_zh)
                        ELSE v END) AS vals
        FROM extractions e LEFT JOIN clean_bodies c USING (capture_id)
        WHERE e.capture_id IN (SELECT capture_id FROM version_sources)
        """
    )
    picks = ", ".join(
        f"any_value(r.vals[{i + 1}]) FILTER (WHERE v.i = {i + 1}) AS v_{name}"
        for i, name in enumerate(MERGED_FIELDS)
    )
    hashes = ", ".join(f"'{name}': nv.fps[{i + 1}]" for i, name in enumerate(CONTENT_FIELDS))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE version_values AS
        WITH v AS (
            SELECT article_id, version, unnest(sources) AS src,
                   generate_subscripts(sources, 1) AS i
            FROM new_versions
        )
        SELECT v.article_id, v.version, {picks}
        FROM v LEFT JOIN source_values r ON r.capture_id = v.src
        GROUP BY v.article_id, v.version
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE version_rows AS
        SELECT nv.article_id, nv.version, nv.captured_at, nv.content_hash,
               {{{hashes}}} AS field_hashes,
               {_value("title_en")} AS title_en, {_value("title_zh")} AS title_zh,
               {_value("summary_en")} AS summary_en, {_value("summary_zh")} AS summary_zh,
               {_value("body_en")} AS body_en, {_value("body_zh")} AS body_zh,
               {_value("tldr_en")} AS tldr_en, {_value("tldr_zh")} AS tldr_zh,
               {_value("tags")} AS tags, {_value("scores")} AS scores, {_value("faq")} AS faq,
               {_value("key_data")} AS key_data, {_value("author")} AS author,
               {_value("published_at")} AS published_at,
               {_value("updated_at")} AS claimed_updated_at,
               nv.capture_id
        FROM new_versions nv JOIN version_values vv USING (article_id, version)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pair_rows AS
        WITH p AS (
            SELECT article_id, version, CAST(v_paragraph_pairs AS VARCHAR[][]) AS pairs
            FROM version_values WHERE v_paragraph_pairs IS NOT NULL
        ), u AS (
            SELECT article_id, version, generate_subscripts(pairs, 1) AS position,
                   unnest(pairs) AS pair
            FROM p
        )
        SELECT article_id, version, position, pair[1] AS text_en, pair[2] AS text_zh FROM u
        """
    )


_CONTENT = ", ".join(CONTENT_FIELDS)
DIFFS = pa.schema([("article_id", pa.string()), ("to_version", pa.int32()), ("diff", pa.string())])


def edit_diffs(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """(article_id, to_version, diff) for each `edited` row of `new_changes`, from the two
    versions' rows (`version_rows`, or `article_versions` for the version before)."""
    rows = con.execute(
        f"""
        WITH edits AS (
            SELECT article_id, from_version, to_version, fields FROM new_changes
            WHERE kind = 'edited'
        ), versions AS (
            SELECT article_id, version, {_CONTENT} FROM version_rows
            UNION ALL
            SELECT article_id, version, {_CONTENT} FROM article_versions
            WHERE article_id IN (SELECT article_id FROM edits)
        )
        SELECT e.article_id, e.to_version, e.fields,
               (SELECT to_json(struct_pack({_CONTENT})) FROM versions o
                WHERE o.article_id = e.article_id AND o.version = e.from_version LIMIT 1),
               (SELECT to_json(struct_pack({_CONTENT})) FROM versions n
                WHERE n.article_id = e.article_id AND n.version = e.to_version LIMIT 1)
        FROM edits e
        """
    ).fetchall()
    diffs = []
    for article_id, to_version, fields, old, new in rows:
        before, after = _record(old), _record(new)
        diffs.append({"article_id": article_id, "to_version": to_version,
                      "diff": version_diff(before, after, tuple(fields))})  # fmt: skip
    return pa.Table.from_pylist(diffs, schema=DIFFS)


def _record(packed: str | None) -> dict:
    return json.loads(packed) if packed else {}
