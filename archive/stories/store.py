"""Storing a derivation: the evaluated stories' rows go into the analyst tables.

Stories replayed from scratch (`scope.rebuild`) and stories whose URLs were regrouped away
(`dropped_keys`) lose every row first and are written anew; stories continued from their state
keep their rows and gain the new ones, their `articles` and `story_state` rows updated in place.
Every step here runs inside the derivation's one transaction (archive/stories/derive.py).
"""

from __future__ import annotations

import duckdb

from archive.catalog.lake import TOUCHED_KEYS_SQL
from archive.catalog.staging import arrow_view
from archive.stories.versions import edit_diffs

# Rows of a replayed or dropped story go before it is written again; `article_urls` and
# `near_duplicates` are refreshed by their own steps.
_REPLACED_ROWS = ("article_versions", "paragraph_pairs", "article_captures", "changes",
                  "story_state", "story_pages")  # fmt: skip
_KEPT = "(SELECT article_id FROM new_state)"  # the evaluated stories that have a version


def stage_replaced(con: duckdb.DuckDBPyConnection) -> None:
    """The article ids whose rows are rebuilt or gone (replayed or regrouped stories).

    Reads: dropped_keys, scope. Writes: replaced."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE replaced AS
        SELECT article_id(story_key) AS article_id FROM dropped_keys
        UNION SELECT article_id FROM scope WHERE rebuild
        """
    )


def stage_new_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Each evaluated story's `articles` row as it is now: a replayed story's from its looks, a
    continued one's moving columns over its stored row.

    Reads: look_input, version_rows, scope, new_state; articles. Writes: new_articles."""
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


def clear_replaced(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the replaced stories' versions, pairs, captures, changes, state and pages.

    Reads: replaced. Writes: article_versions, paragraph_pairs, article_captures, changes,
    story_state, story_pages."""
    for table in _REPLACED_ROWS:
        # table names are this module's constants
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM replaced)")


def store_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Replayed stories' `articles` rows are rewritten; continued ones only have their moving
    columns updated (titles, times and version count only when a version was made).

    Reads: replaced, new_articles, new_versions. Writes: articles."""
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


def store_story_state(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuilt stories get new state rows; continued ones an update of what moved (the
    fingerprint and source lists only when a version was made).

    Reads: new_state, scope. Writes: story_state."""
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


def store_story_pages(con: duckdb.DuckDBPyConnection) -> None:
    """Each evaluated story's pages as of its last look: where the next derivation continues.

    Reads: new_state, look_pages. Writes: story_pages."""
    con.execute(
        """
        DELETE FROM story_pages WHERE article_id IN (SELECT article_id FROM new_state);
        INSERT INTO story_pages
        SELECT article_id, url, page.rank, page.id, page.filled, page.fps, page.claim
        FROM look_pages WHERE article_id IN (SELECT article_id FROM new_state)
        QUALIFY row_number() OVER (PARTITION BY article_id, url ORDER BY look_seq DESC) = 1
        """
    )


def store_versions(con: duckdb.DuckDBPyConnection) -> None:
    """The new versions and their paragraph pairs.

    Reads: version_rows, pair_rows, new_state. Writes: article_versions, paragraph_pairs."""
    con.execute(f"INSERT INTO article_versions BY NAME SELECT * FROM version_rows "
                f"WHERE article_id IN {_KEPT}")  # fmt: skip
    con.execute(f"INSERT INTO paragraph_pairs BY NAME SELECT * FROM pair_rows "
                f"WHERE article_id IN {_KEPT}")  # fmt: skip


def store_changes(con: duckdb.DuckDBPyConnection) -> None:
    """The new change events, each edit with its paragraph diff (after `store_versions`: the
    diff of an edit reads the version before it from `article_versions`).

    Reads: new_changes, version_rows, new_state; article_versions. Writes: changes."""
    with arrow_view(con, "edit_diffs", edit_diffs(con)):
        con.execute(
            f"""
            INSERT INTO changes BY NAME
            SELECT c.article_id, c.detected_at, c.kind, c.from_version, c.to_version, c.fields,
                   c.claimed, coalesce(d.diff, '') AS diff, c.capture_id
            FROM new_changes c
            LEFT JOIN edit_diffs d ON d.article_id = c.article_id AND d.to_version = c.to_version
                                   AND c.kind = 'edited'
            WHERE c.article_id IN {_KEPT}
            """
        )


def store_article_captures(con: duckdb.DuckDBPyConnection) -> None:
    """Which captures show which story.

    Reads: look_input, new_state. Writes: article_captures."""
    con.execute(
        f"""
        INSERT INTO article_captures
        SELECT article_id, capture_id, url, captured_at, status FROM look_input
        WHERE article_id IN {_KEPT}
        """
    )


def store_article_urls(con: duckdb.DuckDBPyConnection) -> None:
    """The URLs of the replayed stories (a continued story's URLs did not move).

    Reads: replaced, scope, new_state; story_urls. Writes: article_urls."""
    con.execute(
        f"""
        DELETE FROM article_urls WHERE article_id IN (SELECT article_id FROM replaced);
        INSERT INTO article_urls
        SELECT u.url, s.article_id, u.reason FROM scope s
        JOIN story_urls u ON u.story_key = s.story_key
        WHERE s.rebuild AND s.article_id IN {_KEPT}
        ON CONFLICT DO NOTHING
        """
    )


def stage_resketch(con: duckdb.DuckDBPyConnection) -> None:
    """The stories whose near-duplicates must be looked at again: text changed or rows
    replaced, or a declared copy relation moved.

    Reads: replaced, new_versions, recopied_keys. Writes: resketch."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE resketch AS
        SELECT article_id FROM replaced
        UNION SELECT article_id FROM new_versions
        UNION SELECT article_id(story_key) FROM recopied_keys
        """
    )


def log_touched_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Log the stories and WARC files whose public rows this derivation may have written, for
    the next publication to the lake: it compares only their rows, so publishing costs what the
    ingest touched, not the archive's size (archive/catalog/lake.py `publish`). Every story
    evaluated or replaced, and every story re-sketched (its near-duplicate pairs, and through
    them other stories' pairs, are rewritten); the new WARC files for captures and fetch errors.

    Reads: new_files, scope, replaced, resketch.
    Writes: lake_touched_stories, lake_touched_files."""
    con.execute(TOUCHED_KEYS_SQL)
    con.execute(
        """
        INSERT INTO lake_touched_stories
        SELECT article_id FROM scope UNION SELECT article_id FROM replaced
        UNION SELECT article_id FROM resketch;
        INSERT INTO lake_touched_files SELECT warc_file FROM new_files
        """
    )
