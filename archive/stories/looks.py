"""Change detection in SQL: each story's new looks against where its history stood.

A *look* is one crawl run's sightings of a story (its EN and ZH pages compare together). For the
stories in `scope`, one set-based pass over the looks (window functions, ordered per story) and
the stored `story_state` row decides:

- a new version when the story's merged content fingerprint moves (the record merges the latest
  extraction of each of the story's pages, canonical page first, field by field);
- the change events: `new`, `edited` (with the changed fields, and whether the page claimed the
  update: its claimed update time moved by more than a minute, or a sitemap lastmod moved),
  `claimed_update` (a claim without a content change), `removed` (404/410 after content) and
  `restored`.

Stories in `scope` with `rebuild` set are replayed from all their sightings and no state (new
stories, stories whose URLs were regrouped, a crawl run split across two ingests, captures older
than the state from a WARC file ingested late); the others
continue from their state with only the new sightings. Both give the same rows, so a reindex
(every story rebuilt) equals incremental ingest. Only the paragraph diffs of edits are left to
Python (archive/stories/versions.py).
"""

from __future__ import annotations

import duckdb

from archive.stories.content import CONTENT_FIELDS, MERGED_FIELDS

GONE = (404, 410)
CLAIM_TOLERANCE = "INTERVAL 1 MINUTE"  # a relative "2h ago" resolves with minute-level wobble


# A page's `filled` bit i and fingerprint i describe the same field for the content fields.
assert MERGED_FIELDS[: len(CONTENT_FIELDS)] == CONTENT_FIELDS


def _merged_columns() -> str:
    sources = ", ".join(
        f"arg_min(p.page.id, p.page.rank) FILTER (p.page.filled & {1 << i} <> 0)"
        for i in range(len(MERGED_FIELDS))
    )
    fingerprints = ", ".join(
        f"coalesce(arg_min(p.page.fps[{i + 1}], p.page.rank) "
        f"FILTER (p.page.filled & {1 << i} <> 0), '')"
        for i in range(len(CONTENT_FIELDS))
    )
    return f"[{sources}] AS sources, [{fingerprints}] AS fps"


def _changed_fields() -> str:
    names = ", ".join(
        f"CASE WHEN fps[{i + 1}] IS DISTINCT FROM prev_fps[{i + 1}] THEN '{name}' END"
        for i, name in enumerate(CONTENT_FIELDS)
    )
    return f"list_filter([{names}], x -> x IS NOT NULL)"


def stage_scope(con: duckdb.DuckDBPyConnection) -> None:
    """The stories to evaluate: those to replay (regrouped, or holding a paragraph whose
    boilerplate status moved) and every story a new sighting shows, with their URLs (merge
    rank, content flag) and normalised nodes.

    Reads: regrouped_keys, boilerplate_nodes, new_sightings; story_urls, story_state.
    Writes: rebuilt_keys, scope, scope_urls, scope_nodes."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rebuilt_keys AS
        SELECT story_key FROM regrouped_keys
        UNION
        SELECT DISTINCT story_key FROM story_urls
        WHERE node IN (SELECT node FROM boilerplate_nodes)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE scope AS
        WITH keys AS (
            SELECT story_key FROM rebuilt_keys
            UNION
            SELECT DISTINCT u.story_key FROM story_urls u
            WHERE u.node IN (SELECT node FROM new_sightings)
        )
        SELECT article_id(k.story_key) AS article_id, k.story_key,
               k.story_key IN (SELECT story_key FROM rebuilt_keys)
               OR article_id(k.story_key) NOT IN (SELECT article_id FROM story_state)
               AS rebuild
        FROM keys k
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE scope_urls AS
        SELECT s.article_id, u.url, u.node, u.reason IN ('canonical', 'hreflang') AS content,
               row_number() OVER (PARTITION BY s.article_id
                                  ORDER BY u.reason <> 'canonical', u.url) AS merge_rank
        FROM scope s JOIN story_urls u ON u.story_key = s.story_key
        """
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_nodes AS "
        "SELECT DISTINCT article_id, node FROM scope_urls"
    )
    # Continuing from the state is only right when the new sightings extend the history: not
    # when they belong to the run the state's last look came from (a run split over two
    # ingests), nor when they are older than what the state has seen (a WARC file ingested late,
    # e.g. one mended after a killed crawl), nor when a page of the story's own URLs is seen for
    # the first time (until then the story was followed through its other URLs).
    con.execute(
        """
        UPDATE scope SET rebuild = true
        WHERE NOT rebuild AND article_id IN (
            SELECT n.article_id
            FROM new_sightings g
            JOIN scope_nodes n ON n.node = g.node
            JOIN story_state st ON st.article_id = n.article_id
            LEFT JOIN scope_urls u ON u.article_id = n.article_id AND u.url = g.url
            WHERE (g.run_id IS NOT NULL AND g.run_id = st.last_look_run)
               OR g.captured_at <= st.last_seen_at
               OR (NOT st.content_only AND coalesce(u.content, false)))
        """
    )


def stage_look_input(con: duckdb.DuckDBPyConnection) -> None:
    """The sightings each story in scope is evaluated on: all of them for a story replayed,
    only the new ones for a story continued; `ord` orders them (time, then capture id).

    Reads: scope, scope_nodes, scope_urls, new_sightings; sightings.
    Writes: look_input."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE look_input AS
        SELECT n.article_id, g.capture_id, g.url, g.captured_at, g.status, g.extraction_id,
               g.run_id, g.profile, g.story_text, g.filled, g.fingerprints, g.claim,
               coalesce(u.content, false) AS content,
               coalesce(u.merge_rank, 2147483647) AS merge_rank,
               strftime(g.captured_at, '%Y-%m-%dT%H:%M:%S.%f') || g.capture_id AS ord
        FROM scope s
        JOIN scope_nodes n ON n.article_id = s.article_id
        JOIN sightings g ON g.node = n.node
        LEFT JOIN scope_urls u ON u.article_id = n.article_id AND u.url = g.url
        WHERE s.rebuild OR g.capture_id IN (SELECT capture_id FROM new_sightings)
        """
    )


def stage_stored_state(con: duckdb.DuckDBPyConnection) -> None:
    """The stored state of the stories continued (not replayed): where their history stood.

    Reads: scope; story_state.
    Writes: state."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE state AS
        SELECT st.* FROM story_state st JOIN scope s USING (article_id) WHERE NOT s.rebuild
        """
    )


def stage_own_sightings(con: duckdb.DuckDBPyConnection) -> None:
    """The sightings that count for each story: once a story has a content page of its own
    (canonical or hreflang), only those; before that, every page it was followed through.

    Reads: scope, state, look_input.
    Writes: own."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE own AS
        WITH flags AS (
            SELECT s.article_id,
                   coalesce(any_value(st.content_only), false)
                   OR coalesce(bool_or(li.content), false) AS content_only
            FROM scope s LEFT JOIN state st USING (article_id)
            LEFT JOIN look_input li USING (article_id)
            GROUP BY s.article_id
        )
        SELECT li.*, coalesce(li.run_id, li.capture_id) AS look_key, f.content_only
        FROM look_input li JOIN flags f USING (article_id)
        WHERE li.content OR NOT f.content_only
        """
    )


def group_looks(con: duckdb.DuckDBPyConnection) -> None:
    """One row per look (a crawl run's sightings of a story; a capture outside any run is its
    own look): whether it showed content or a removal, its anchor captures, and its order.

    Reads: own.
    Writes: looks."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE looks AS
        WITH grouped AS (
            SELECT article_id, look_key, min(ord) AS look_ord,
                   CASE WHEN bool_or(story_text) THEN 'content'
                        WHEN bool_or(status IN {GONE}) THEN 'gone' END AS kind,
                   arg_max(capture_id, ord) FILTER (story_text) AS anchor_id,
                   arg_max(captured_at, ord) FILTER (story_text) AS anchor_at,
                   arg_max({{'r': run_id}}, ord) FILTER (story_text) AS run,
                   arg_min(capture_id, ord) FILTER (story_text) AS first_id,
                   arg_min(captured_at, ord) FILTER (story_text) AS first_at,
                   arg_min(capture_id, ord) FILTER (status IN {GONE}) AS gone_id,
                   arg_min(captured_at, ord) FILTER (status IN {GONE}) AS gone_at,
                   any_value(content_only) AS content_only
            FROM own GROUP BY article_id, look_key
        )
        SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY look_ord) AS look_seq
        FROM grouped WHERE kind IS NOT NULL
        """
    )


def stage_look_pages(con: duckdb.DuckDBPyConnection) -> None:
    """The latest extraction of each page as of each look; the state's pages are look 0.

    Reads: own, looks, state; story_pages.
    Writes: look_pages."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE look_pages AS
        SELECT li.article_id, l.look_seq, li.url,
               arg_max({'rank': li.merge_rank, 'id': li.extraction_id, 'filled': li.filled,
                        'fps': li.fingerprints, 'claim': li.claim}, li.ord) AS page
        FROM own li
        JOIN looks l ON l.article_id = li.article_id AND l.look_key = li.look_key
        WHERE li.story_text AND l.kind = 'content'
        GROUP BY li.article_id, l.look_seq, li.url
        UNION ALL
        SELECT sp.article_id, 0, sp.url,
               {'rank': sp.merge_rank, 'id': sp.capture_id, 'filled': sp.filled,
                'fps': sp.fingerprints, 'claim': sp.claim}
        FROM story_pages sp JOIN state USING (article_id)
        """
    )


def merge_look_pages(con: duckdb.DuckDBPyConnection) -> None:
    """Each content look's merged record: per field, the first page (by merge rank) that has it,
    carrying forward each page's latest extraction; its fingerprints, sources and claim.

    Reads: looks, look_pages.
    Writes: merged."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE merged AS
        WITH urls AS (SELECT DISTINCT article_id, url FROM look_pages),
        grid AS (
            SELECT article_id, look_seq, u.url, true AS wanted
            FROM looks l JOIN urls u USING (article_id) WHERE l.kind = 'content'
            UNION ALL BY NAME
            SELECT article_id, look_seq, url, false AS wanted, page FROM look_pages
        ), carried AS (
            SELECT article_id, look_seq AS at_look, wanted,
                   last_value(page IGNORE NULLS) OVER (
                       PARTITION BY article_id, url ORDER BY look_seq, wanted
                   ) AS page
            FROM grid
        ), joined AS (SELECT * FROM carried WHERE wanted AND page IS NOT NULL)
        SELECT p.article_id, p.at_look AS look_seq, {_merged_columns()},
               arg_min(p.page.claim, p.page.rank) FILTER (p.page.claim IS NOT NULL) AS claim
        FROM joined p GROUP BY p.article_id, p.at_look
        """
    )


def stage_fingerprint_lists(con: duckdb.DuckDBPyConnection) -> None:
    """Each story's fingerprint and source lists per look (the state's are look 0), kept
    apart because they are wide: the windows of `sequence_looks` run over narrow rows, and the
    lists are joined back only for the looks that made a version.

    Reads: state, merged.
    Writes: lists."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE lists AS
        SELECT article_id, 0 AS look_seq, fingerprints AS fps, sources FROM state
        UNION ALL
        SELECT article_id, look_seq, fps, sources FROM merged
        """
    )


def sequence_looks(con: duckdb.DuckDBPyConnection) -> None:
    """The looks of each story in order after its stored state: content hash, whether it made
    a version, the version number and status after it, and what came before.

    Reads: state, looks, merged.
    Writes: seq."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE seq AS
        WITH rows AS (
            SELECT article_id, 0 AS look_seq, 'state' AS kind, last_hash AS hash,
                   last_claim AS claim, {'r': last_run} AS run,
                   status AS state_status, version_count AS base
            FROM state
            UNION ALL BY NAME
            SELECT l.article_id, l.look_seq, l.kind,
                   'sha256:' || sha256(array_to_string(m.fps, '|')) AS hash,
                   m.claim, l.run, l.anchor_id, l.anchor_at, l.first_id, l.first_at, l.gone_id,
                   l.gone_at
            FROM looks l LEFT JOIN merged m USING (article_id, look_seq)
        ), windowed AS (
            SELECT *,
                coalesce(max(base) OVER story, 0) AS base_versions,
                last_value(hash IGNORE NULLS) OVER before AS prev_hash,
                last_value(claim IGNORE NULLS) OVER before AS prev_claim,
                last_value(run IGNORE NULLS) OVER before AS prev_run,
                coalesce(sum((kind = 'content')::INT) OVER before, 0) AS contents_before
            FROM rows
            WINDOW story AS (PARTITION BY article_id),
                   before AS (PARTITION BY article_id ORDER BY look_seq
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ), versioned AS (
            SELECT *,
                kind = 'content' AND hash IS DISTINCT FROM prev_hash AS changed,
                base_versions > 0 OR contents_before > 0 AS had_versions
            FROM windowed
        ), numbered AS (
            SELECT *,
                base_versions + coalesce(sum(changed::INT) OVER upto, 0) AS version_now,
                CASE kind WHEN 'state' THEN state_status
                          WHEN 'content' THEN 'live'
                          ELSE CASE WHEN had_versions THEN 'removed' ELSE 'live' END
                END AS status_after,
                last_value(CASE WHEN changed OR kind = 'state' THEN look_seq END IGNORE NULLS)
                    OVER before AS prev_version_seq
            FROM versioned
            WINDOW upto AS (PARTITION BY article_id ORDER BY look_seq
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
                   before AS (PARTITION BY article_id ORDER BY look_seq
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        )
        SELECT *,
            coalesce(lag(status_after) OVER (PARTITION BY article_id ORDER BY look_seq), 'live')
                AS prev_status
        FROM numbered
        """
    )


def stage_versions_made(con: duckdb.DuckDBPyConnection) -> None:
    """The looks that made a version, with their fingerprint and source lists and those of the
    version before, and the content fields that changed.

    Reads: seq, lists.
    Writes: versions_made."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE versions_made AS
        WITH made AS (SELECT * FROM seq WHERE changed), joined AS (
            SELECT m.*, cur.fps, cur.sources, prv.fps AS prev_fps,
                   prv.sources AS prev_version_sources
            FROM made m
            JOIN lists cur ON cur.article_id = m.article_id AND cur.look_seq = m.look_seq
            LEFT JOIN lists prv ON prv.article_id = m.article_id
                               AND prv.look_seq = m.prev_version_seq
        )
        SELECT *, {_changed_fields()} AS fields FROM joined
        """
    )


def decide_claims(con: duckdb.DuckDBPyConnection) -> None:
    """Whether each content look claimed an update: its claimed update time moved by more than
    the tolerance, or a sitemap lastmod of one of its content pages moved since the run before.

    Reads: seq, scope_urls; sitemap_lastmods.
    Writes: claims."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE claims AS
        WITH sitemap AS (
            SELECT q.article_id, q.look_seq, bool_or(a.lastmod <> b.lastmod) AS moved
            FROM seq q
            JOIN scope_urls u ON u.article_id = q.article_id AND u.content
            JOIN sitemap_lastmods a ON a.run_id = q.prev_run.r AND a.node = u.node
            JOIN sitemap_lastmods b ON b.run_id = q.run.r AND b.node = u.node
            WHERE q.kind = 'content' AND q.prev_run.r <> q.run.r
            GROUP BY q.article_id, q.look_seq
        )
        SELECT q.article_id, q.look_seq,
               (q.claim IS NOT NULL
                AND (q.prev_claim IS NULL OR q.claim - q.prev_claim > {CLAIM_TOLERANCE}))
               OR coalesce(s.moved, false) AS claimed
        FROM seq q LEFT JOIN sitemap s USING (article_id, look_seq)
        WHERE q.kind = 'content'
        """
    )


def stage_new_versions(con: duckdb.DuckDBPyConnection) -> None:
    """The new versions, one row per look that made one.

    Reads: versions_made.
    Writes: new_versions."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_versions AS
        SELECT article_id, version_now AS version, anchor_at AS captured_at, hash AS content_hash,
               fps, sources, anchor_id AS capture_id
        FROM versions_made
        """
    )


def stage_new_changes(con: duckdb.DuckDBPyConnection) -> None:
    """The change events: `restored`, `new`, `edited`, `claimed_update` and `removed`.

    Reads: seq, claims, versions_made.
    Writes: new_changes."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_changes AS
        SELECT article_id, first_at AS detected_at, 'restored' AS kind,
               version_now - changed::INT AS from_version, version_now - changed::INT AS to_version,
               []::VARCHAR[] AS fields, NULL::BOOLEAN AS claimed, first_id AS capture_id,
               NULL::VARCHAR[] AS prev_sources, 0 AS step
        FROM seq WHERE kind = 'content' AND prev_status = 'removed'
        UNION ALL
        SELECT q.article_id, q.anchor_at,
               CASE WHEN q.prev_hash IS NULL THEN 'new'
                    WHEN q.changed THEN 'edited' ELSE 'claimed_update' END,
               CASE WHEN q.prev_hash IS NOT NULL THEN q.version_now - q.changed::INT END,
               q.version_now,
               CASE WHEN q.changed AND q.prev_hash IS NOT NULL THEN v.fields ELSE [] END,
               CASE WHEN q.prev_hash IS NULL THEN NULL WHEN q.changed THEN c.claimed ELSE true END,
               q.anchor_id,
               CASE WHEN q.changed AND q.prev_hash IS NOT NULL THEN v.prev_version_sources END,
               1
        FROM seq q JOIN claims c USING (article_id, look_seq)
        LEFT JOIN versions_made v USING (article_id, look_seq)
        WHERE q.changed OR c.claimed
        UNION ALL
        SELECT article_id, gone_at, 'removed', version_now, NULL, [], NULL, gone_id, NULL, 0
        FROM seq WHERE kind = 'gone' AND had_versions AND prev_status = 'live'
        """
    )


def stage_new_state(con: duckdb.DuckDBPyConnection) -> None:
    """Each evaluated story's state after its new looks (stories without any version yet have
    none).

    Reads: look_input, lists, seq, own, state.
    Writes: new_state."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_state AS
        WITH last_sighting AS (
            SELECT article_id, arg_max({'r': run_id}, ord).r AS last_look_run,
                   max(captured_at) AS last_seen_at
            FROM look_input GROUP BY article_id
        ), made AS (SELECT * FROM lists WHERE look_seq > 0), agg AS (
        SELECT q.article_id,
               coalesce(any_value(l.content_only), any_value(st.content_only)) AS content_only,
               max(q.version_now) AS version_count,
               arg_max(q.hash, q.look_seq) FILTER (q.hash IS NOT NULL) AS last_hash,
               max(q.look_seq) FILTER (q.changed OR q.kind = 'state') AS version_seq,
               arg_max(q.claim, q.look_seq) FILTER (q.claim IS NOT NULL) AS last_claim,
               (arg_max(q.run, q.look_seq) FILTER (q.kind IN ('content', 'state'))).r AS last_run,
               arg_max(q.status_after, q.look_seq) AS status,
               coalesce(any_value(ls.last_look_run), any_value(st.last_look_run)) AS last_look_run,
               greatest(any_value(ls.last_seen_at), any_value(st.last_seen_at)) AS last_seen_at
        FROM seq q
        LEFT JOIN (SELECT DISTINCT article_id, content_only FROM own) l USING (article_id)
        LEFT JOIN last_sighting ls USING (article_id)
        LEFT JOIN state st USING (article_id)
        GROUP BY q.article_id
        HAVING max(q.version_now) > 0
        )
        -- fingerprints and sources stay NULL when the latest version is the stored one
        SELECT agg.* EXCLUDE (version_seq), m.fps AS fingerprints, m.sources
        FROM agg LEFT JOIN made m
          ON m.article_id = agg.article_id AND m.look_seq = agg.version_seq
        """
    )
