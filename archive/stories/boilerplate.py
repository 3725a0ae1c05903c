"""A site's boilerplate: body paragraphs that recur across its stories are furniture, not content.

Whatever a site's markup, its furniture repeats: the same promo, newsletter box, trending
titles or disclaimer shows up on story after story, and a rotating one moves between captures
of an otherwise identical page. A story's own text does not recur. So a body paragraph that a
site (a profile; the host for WARCs of other tools) has shown on `MIN_STORIES` or more distinct
stories is boilerplate of that site: it stays in the extracted record, but it is left out of
the body fingerprints that decide versions and out of the version rows analysts read.

Tables (internal, schema.sql): `site_paragraphs` (site, paragraph hash, page) and
`site_boilerplate` (site, paragraph hash). Each derivation registers the paragraphs of pages
whose content is new, recounts only the paragraphs it touched, and replays the stories whose
pages hold a paragraph that became (or stopped being) boilerplate. Boilerplate depends only on
the set of captures, and every story is evaluated with the boilerplate of the whole set it
belongs to, so incremental ingest and reindex still agree.
"""

from __future__ import annotations

import duckdb

from archive.stories.content import CONTENT_FIELDS, PARAGRAPH_FIELDS

MIN_STORIES = 3  # two stories may share a quote or a paragraph; three is a pattern of the site

# The site of a capture: its profile; a WARC of another tool has none, then its host.
SITE = "coalesce({t}.profile, regexp_extract({t}.url, '^[a-zA-Z]+://([^/?#]+)', 1))"


def _adjusted_fingerprints(extraction: str, boilerplate: str) -> str:
    """SQL: the extraction's fingerprints with each body field recomputed from its paragraph
    hashes minus `boilerplate` (a list), as story_content.body_fingerprint computes them."""
    columns = {"body_en": "en_paragraphs", "body_zh": "zh_paragraphs"}
    items = []
    for i, name in enumerate(CONTENT_FIELDS):
        if name not in PARAGRAPH_FIELDS:
            items.append(f"{extraction}.fingerprints[{i + 1}]")
            continue
        kept = (
            f"list_filter(coalesce({extraction}.{columns[name]}, []), "
            f"h -> h <> '' AND NOT list_contains({boilerplate}, h))"
        )
        items.append(
            f"CASE WHEN len({kept}) = 0 THEN '' "
            f"ELSE left(sha1(array_to_string({kept}, '|')), 16) END"
        )
    return "[" + ", ".join(items) + "]"


def learn_boilerplate(con: duckdb.DuckDBPyConnection) -> None:
    """Register the new content's paragraphs, recount the touched ones, and list the pages
    holding a paragraph that became (or stopped being) boilerplate: their stories are replayed.
    A paragraph's count of distinct stories can also move with the grouping alone, so the
    paragraphs of the regrouped stories' pages are recounted too.

    Reads: regrouped_keys, novel_signals; story_urls, extractions, site_paragraphs,
    site_boilerplate.
    Writes: regrouped_nodes, fresh_paragraphs, boilerplate_nodes, touched_paragraphs
    (scratch: recounted, boilerplate_moved); site_paragraphs, site_boilerplate."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE regrouped_nodes AS SELECT DISTINCT node FROM story_urls "
        "WHERE story_key IN (SELECT story_key FROM regrouped_keys)"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fresh_paragraphs AS
        SELECT DISTINCT {SITE.format(t="e")} AS site, h AS hash, e.node
        FROM extractions e
        JOIN novel_signals n ON n.url = e.url AND n.signals = e.signals AND n.content IS NOT NULL
        CROSS JOIN unnest(list_concat(coalesce(e.en_paragraphs, []),
                                      coalesce(e.zh_paragraphs, []))) AS p(h)
        WHERE e.error IS NULL AND e.story_text AND h <> ''
        """
    )
    con.execute("INSERT INTO site_paragraphs SELECT * FROM fresh_paragraphs ON CONFLICT DO NOTHING")
    con.execute("CREATE OR REPLACE TEMP TABLE boilerplate_nodes (node VARCHAR)")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE touched_paragraphs AS
        SELECT site, hash FROM fresh_paragraphs
        UNION
        SELECT p.site, p.hash FROM site_paragraphs p
        WHERE p.node IN (SELECT node FROM regrouped_nodes)
        """
    )
    if not _count(con, "touched_paragraphs"):
        return
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE recounted AS
        SELECT p.site, p.hash, count(DISTINCT u.story_key) >= {MIN_STORIES} AS boilerplate
        FROM site_paragraphs p
        JOIN touched_paragraphs t USING (site, hash)
        JOIN story_urls u ON u.node = p.node
        GROUP BY p.site, p.hash
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE boilerplate_moved AS
        SELECT r.site, r.hash FROM recounted r
        LEFT JOIN site_boilerplate b USING (site, hash)
        WHERE r.boilerplate <> (b.hash IS NOT NULL)
        """
    )
    if not _count(con, "boilerplate_moved"):
        return  # the usual case: no paragraph changed status, no page to look at again
    con.execute(
        """
        DELETE FROM site_boilerplate WHERE (site, hash) IN
            (SELECT site, hash FROM recounted WHERE NOT boilerplate);
        INSERT INTO site_boilerplate SELECT site, hash FROM recounted WHERE boilerplate
        ON CONFLICT DO NOTHING;
        """
    )
    con.execute(
        """
        INSERT INTO boilerplate_nodes
        SELECT DISTINCT p.node FROM site_paragraphs p JOIN boilerplate_moved m USING (site, hash)
        """
    )


def apply_boilerplate(con: duckdb.DuckDBPyConnection) -> None:
    """Give the new sightings, and every sighting of a page whose paragraphs changed status,
    the fingerprints of their extraction without their site's boilerplate. Sites without any
    boilerplate keep the extraction's fingerprints as they are (no work)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE site_boilerplate_lists AS
        SELECT site, list(hash) AS hashes FROM site_boilerplate GROUP BY site
        """
    )
    if not _count(con, "site_boilerplate_lists") and not _count(con, "boilerplate_nodes"):
        return  # no site has boilerplate, and no page lost any: every fingerprint stands
    con.execute(
        f"""
        UPDATE sightings s SET fingerprints = {_adjusted_fingerprints("e", "b.hashes")}
        FROM extractions e, site_boilerplate_lists b
        WHERE s.extraction_id = e.capture_id AND b.site = {SITE.format(t="s")}
          AND (s.capture_id IN (SELECT capture_id FROM new_sightings)
               OR s.node IN (SELECT node FROM boilerplate_nodes))
        """
    )
    # A page whose paragraphs stopped being boilerplate, on a site now without any: its
    # extraction's own fingerprints again.
    con.execute(
        f"""
        UPDATE sightings s SET fingerprints = e.fingerprints
        FROM extractions e
        WHERE s.extraction_id = e.capture_id
          AND s.node IN (SELECT node FROM boilerplate_nodes)
          AND {SITE.format(t="s")} NOT IN (SELECT site FROM site_boilerplate_lists)
        """
    )


def stage_boilerplate_free_bodies(con: duckdb.DuckDBPyConnection, sources: str) -> None:
    """`clean_bodies` (capture_id, body_en, body_zh): for each extraction in `sources` (a temp
    table with column capture_id) on a site with boilerplate, its body lists without the
    boilerplate paragraphs, for the version rows analysts read.

    Reads: `sources`, site_boilerplate_lists; extractions. Writes: clean_bodies."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE clean_bodies AS
        SELECT e.capture_id,
               list_filter(CAST(json_extract(e.record, '$.body_en') AS VARCHAR[]),
                           (p, i) -> NOT list_contains(b.hashes, e.en_paragraphs[i]))
                   AS body_en,
               list_filter(CAST(json_extract(e.record, '$.body_zh') AS VARCHAR[]),
                           (p, i) -> NOT list_contains(b.hashes, e.zh_paragraphs[i]))
                   AS body_zh
        FROM extractions e
        JOIN site_boilerplate_lists b ON b.site = {SITE.format(t="e")}
        WHERE e.capture_id IN (SELECT capture_id FROM {sources})
        """
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # `table` is one of this module's temp tables, never data
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
