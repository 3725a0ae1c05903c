"""Deriving the analyst tables (articles, versions, changes, URLs, near-duplicates) incrementally.

Each derivation folds in the WARC files not derived yet, in one transaction:

1. their sightings, grouping signals and sitemap lastmods (archive/stories/sightings.py);
2. the URL grouping of the stories the new signals touch (archive/stories/grouping.py), and the
   sites' boilerplate paragraphs, left out of the fingerprints (archive/stories/boilerplate.py);
3. versions and changes of every story the new captures show, in SQL, continuing from each
   story's stored state (archive/stories/looks.py), and the new versions' rows
   (archive/stories/versions.py);
4. near-duplicates of the stories whose text changed, and declared copies of the stories whose
   text or copy relations changed (archive/stories/near.py).

The cost follows what was newly captured, not the size of the archive. A reindex is the same
code with every file new, so incremental ingest and reindex give the same tables, and deriving
twice changes nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from archive.catalog.staging import stage_keys
from archive.stories.boilerplate import apply_boilerplate, learn_boilerplate
from archive.stories.grouping import regroup
from archive.stories.looks import evaluate_looks, stage_scope
from archive.stories.near import update_near_duplicates
from archive.stories.sightings import (
    mark_derived,
    record_page_signals,
    record_sightings,
    record_sitemap_lastmods,
    stage_new_files,
    underived_files,
)
from archive.stories.versions import edit_diffs, stage_version_rows

log = logging.getLogger(__name__)

PUBLIC = ("articles", "article_versions", "paragraph_pairs", "article_urls", "article_captures",
          "near_duplicates", "changes")  # fmt: skip


def derive_story_tables(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> dict[str, int]:
    """Fold the captures of WARC files not derived yet into the story tables, atomically.
    Returns how many rows each public table gained or changed."""
    files = underived_files(con)
    if not files:
        return {}
    con.execute("BEGIN TRANSACTION")
    try:
        stage_new_files(con, files)
        record_sightings(con)
        record_page_signals(con)
        record_sitemap_lastmods(con, warc_dir)
        regrouping = regroup(con)
        stage_keys(con, "recopied_keys", "story_key", regrouping.recopied)
        rebuilt = regrouping.rebuilt | _learn_boilerplate(con, regrouping.rebuilt)
        stage_scope(con, rebuilt)
        _stage_dropped(con, regrouping.dropped)
        evaluate_looks(con)
        stage_version_rows(con)
        counts = _write(con)
        update_near_duplicates(con)
        mark_derived(con, counts["stories_continued"], counts["stories_rebuilt"])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info("derived %d WARC files: %s", len(files), counts)
    return counts


def _learn_boilerplate(con: duckdb.DuckDBPyConnection, regrouped: set[str]) -> set[str]:
    """Update the sites' boilerplate and the sightings' fingerprints; returns the stories to
    replay because a paragraph of theirs changed status (archive/stories/boilerplate.py)."""
    stage_keys(con, "regrouped_keys", "story_key", regrouped)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE regrouped_nodes AS SELECT DISTINCT node FROM story_urls "
        "WHERE story_key IN (SELECT story_key FROM regrouped_keys)"
    )
    moved = learn_boilerplate(con, "regrouped_nodes")
    apply_boilerplate(con)
    return moved


def _stage_dropped(con: duckdb.DuckDBPyConnection, dropped_keys: set[str]) -> None:
    """`replaced`: article ids whose rows are rebuilt or gone (regrouped stories)."""
    stage_keys(con, "dropped_keys", "story_key", dropped_keys)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE replaced AS
        SELECT article_id(story_key) AS article_id FROM dropped_keys
        UNION SELECT article_id FROM scope WHERE rebuild
        """
    )


def _write(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_articles AS
        WITH seen AS (
            SELECT article_id, arg_min({'p': profile}, ord).p AS site,
                   min(captured_at) AS first_seen_at, max(captured_at) AS last_seen_at
            FROM look_input GROUP BY article_id
        ), head AS (
            SELECT * FROM version_rows
            QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY version DESC) = 1
        ), kept AS (
            SELECT s.article_id, s.story_key, s.rebuild FROM scope s
            JOIN new_state n USING (article_id)
        )
        SELECT k.article_id,
               CASE WHEN k.rebuild THEN seen.site ELSE a.site END AS site,
               k.story_key AS canonical_url,
               CASE WHEN h.article_id IS NULL THEN a.title_en ELSE h.title_en END AS title_en,
               CASE WHEN h.article_id IS NULL THEN a.title_zh ELSE h.title_zh END AS title_zh,
               CASE WHEN h.article_id IS NULL THEN a.published_at ELSE h.published_at END
                   AS published_at,
               CASE WHEN h.article_id IS NULL THEN a.updated_at ELSE h.claimed_updated_at END
                   AS updated_at,
               CASE WHEN k.rebuild THEN seen.first_seen_at ELSE a.first_seen_at END
                   AS first_seen_at,
               greatest(seen.last_seen_at, CASE WHEN NOT k.rebuild THEN a.last_seen_at END)
                   AS last_seen_at,
               n.status, n.version_count, k.rebuild
        FROM kept k
        JOIN new_state n USING (article_id)
        LEFT JOIN seen USING (article_id)
        LEFT JOIN head h USING (article_id)
        LEFT JOIN articles a ON a.article_id = k.article_id
        """
    )
    for table in PUBLIC[1:] + ("story_state", "story_pages"):
        if table in ("article_urls", "near_duplicates"):
            continue
        # table names are this module's constants
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM replaced)")
    # Rebuilt stories are rewritten; continued ones only have their moving columns updated.
    con.execute(
        "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM replaced) "
        "OR article_id IN (SELECT article_id FROM new_articles WHERE rebuild)"
    )
    con.execute(
        """
        UPDATE articles a SET last_seen_at = n.last_seen_at, status = n.status
        FROM new_articles n
        WHERE a.article_id = n.article_id AND NOT n.rebuild
        """
    )
    con.execute(
        """
        UPDATE articles a SET title_en = n.title_en, title_zh = n.title_zh,
            published_at = n.published_at, updated_at = n.updated_at,
            version_count = n.version_count
        FROM new_articles n
        WHERE a.article_id = n.article_id AND NOT n.rebuild
          AND n.article_id IN (SELECT article_id FROM new_versions)
        """
    )
    con.execute("INSERT INTO articles BY NAME SELECT * EXCLUDE (rebuild) FROM new_articles "
                "WHERE rebuild")  # fmt: skip
    _write_state(con)
    con.execute(
        """
        DELETE FROM story_pages WHERE article_id IN (SELECT article_id FROM new_state);
        INSERT INTO story_pages
        SELECT article_id, url, page.rank, page.id, page.filled, page.fps, page.claim
        FROM look_pages WHERE article_id IN (SELECT article_id FROM new_state)
        QUALIFY row_number() OVER (PARTITION BY article_id, url ORDER BY look_seq DESC) = 1
        """
    )
    kept = "(SELECT article_id FROM new_state)"
    con.execute(f"INSERT INTO article_versions BY NAME SELECT * FROM version_rows "
                f"WHERE article_id IN {kept}")  # fmt: skip
    con.execute(f"INSERT INTO paragraph_pairs BY NAME SELECT * FROM pair_rows "
                f"WHERE article_id IN {kept}")  # fmt: skip
    diffs = edit_diffs(con)
    con.register("edit_diffs", diffs)
    con.execute(
        f"""
        INSERT INTO changes BY NAME
        SELECT c.article_id, c.detected_at, c.kind, c.from_version, c.to_version, c.fields,
               c.claimed, coalesce(d.diff, '') AS diff, c.capture_id
        FROM new_changes c
        LEFT JOIN edit_diffs d ON d.article_id = c.article_id AND d.to_version = c.to_version
                               AND c.kind = 'edited'
        WHERE c.article_id IN {kept}
        """
    )
    con.unregister("edit_diffs")
    con.execute(
        f"""
        INSERT INTO article_captures
        SELECT article_id, capture_id, url, captured_at, status FROM look_input
        WHERE article_id IN {kept}
        """
    )
    con.execute(
        f"""
        DELETE FROM article_urls WHERE article_id IN (SELECT article_id FROM replaced);
        INSERT INTO article_urls
        SELECT u.url, s.article_id, u.reason FROM scope s
        JOIN story_urls u ON u.story_key = s.story_key
        WHERE s.rebuild AND s.article_id IN {kept}
        ON CONFLICT DO NOTHING
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE resketch AS
        SELECT article_id FROM replaced
        UNION SELECT article_id FROM new_versions
        UNION SELECT article_id(story_key) FROM recopied_keys
        """
    )
    return {
        "articles": _count(con, "new_articles"),
        "article_versions": _count(con, "version_rows"),
        "changes": _count(con, "new_changes"),
        "article_captures": _count(con, "look_input"),
        "stories_continued": _count(con, "scope WHERE NOT rebuild"),
        "stories_rebuilt": _count(con, "scope WHERE rebuild"),
    }


def _write_state(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuilt stories get new state rows; continued ones an update of what moved (the
    fingerprint and source lists only when a version was made)."""
    con.execute(
        "INSERT INTO story_state BY NAME SELECT * FROM new_state "
        "WHERE article_id IN (SELECT article_id FROM scope WHERE rebuild)"
    )
    con.execute(
        """
        UPDATE story_state s SET content_only = n.content_only,
            version_count = n.version_count, last_hash = n.last_hash, last_claim = n.last_claim,
            last_run = n.last_run, last_look_run = n.last_look_run, status = n.status,
            last_seen_at = n.last_seen_at
        FROM new_state n JOIN scope c ON c.article_id = n.article_id AND NOT c.rebuild
        WHERE s.article_id = n.article_id
        """
    )
    con.execute(
        """
        UPDATE story_state s SET fingerprints = n.fingerprints, sources = n.sources
        FROM new_state n JOIN scope c ON c.article_id = n.article_id AND NOT c.rebuild
        WHERE s.article_id = n.article_id AND n.fingerprints IS NOT NULL
        """
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
