-- newsarc views: the questions analysts ask most, answered over the public tables only
-- (archive.catalog.connection.PUBLIC_TABLES), so they read the same in the writer's catalog and in
-- the analysts' DuckLake, where the internal tables do not exist. Applied after schema.sql on
-- every writable open (archive/catalog/connection.py), so every statement must be idempotent.
-- Names are never qualified with a database or schema: the views bind to whichever one they
-- are created in. Every view has a comment; its columns' comments are in view_columns.sql, which
-- only the writer's catalog can take (DuckLake refuses comments on a view's columns).

CREATE OR REPLACE VIEW latest_versions AS
SELECT a.article_id, a.site, a.canonical_url, a.status,
       v.version, v.captured_at,
       v.title_en, v.title_zh, v.summary_en, v.summary_zh, v.tldr_en, v.tldr_zh,
       v.body_en, v.body_zh, v.tags, v.author, v.published_at, v.claimed_updated_at,
       v.capture_id
FROM articles a
JOIN article_versions v ON v.article_id = a.article_id AND v.version = a.version_count;
COMMENT ON VIEW latest_versions IS 'The latest version of each story, English and Chinese side by side: one row per story (articles joined to its last article_versions row).';

CREATE OR REPLACE VIEW changes_with_titles AS
SELECT c.article_id, a.site, a.canonical_url, a.title_en, a.title_zh,
       c.kind, c.detected_at, c.from_version, c.to_version, c.fields, c.claimed, c.diff,
       c.capture_id
FROM changes c
JOIN articles a USING (article_id);
COMMENT ON VIEW changes_with_titles IS 'Each change (changes) with the story''s current titles, site and URL: what `newsarc changes` prints.';

CREATE OR REPLACE VIEW silent_edits AS
SELECT c.article_id, a.site, a.canonical_url, a.title_en, a.title_zh,
       c.detected_at, c.from_version, c.to_version, c.fields, c.diff,
       v.claimed_updated_at, c.capture_id
FROM changes c
JOIN articles a USING (article_id)
LEFT JOIN article_versions v ON v.article_id = c.article_id AND v.version = c.to_version
WHERE c.kind = 'edited' AND NOT c.claimed;
COMMENT ON VIEW silent_edits IS 'Stories edited without the page claiming an update: edited changes whose stated update time (dateModified, an "Updated ..." marker) did not move and whose sitemap <lastmod> did not either (changes.claimed false).';

CREATE OR REPLACE VIEW copies_across_sites AS
SELECT n.copy_of AS original_id, o.site AS original_site, o.canonical_url AS original_url,
       o.title_en AS original_title_en, o.title_zh AS original_title_zh,
       n.article_id AS copy_id, n.site AS copy_site, k.canonical_url AS copy_url,
       k.title_en AS copy_title_en, k.title_zh AS copy_title_zh,
       n.reason, n.similarity, k.first_seen_at AS copy_first_seen_at
FROM near_duplicates n
JOIN articles o ON o.article_id = n.copy_of
JOIN articles k ON k.article_id = n.article_id
WHERE n.site IS DISTINCT FROM o.site;
COMMENT ON VIEW copies_across_sites IS 'Copies of a story on other sites (syndication, declared canonicals, repeated content), each copy beside its original with both stories'' titles: the near_duplicates rows whose two stories were first seen by different site profiles. Copies are stories of their own and never version the original.';
