-- Comments on the columns of the views in views.sql, one per column. Applied after views.sql to
-- the writer's catalog on every writable open (archive/catalog/connection.py). Not applied to the
-- analysts' DuckLake: DuckLake (1.5.5) keeps a view's comment but refuses one on a view's column
-- ("it is not a table"); an analyst reading the lake finds the descriptions in this file.
COMMENT ON COLUMN latest_versions.article_id IS 'The story (articles.article_id).';
COMMENT ON COLUMN latest_versions.site IS 'Profile name of the crawl that first saw the story (articles.site).';
COMMENT ON COLUMN latest_versions.canonical_url IS 'Normalised canonical URL of the story.';
COMMENT ON COLUMN latest_versions.status IS '''live'', or ''removed'' when its page last answered 404/410 (the version shown is then the last one seen).';
COMMENT ON COLUMN latest_versions.version IS 'Number of this, the latest content version (= articles.version_count).';
COMMENT ON COLUMN latest_versions.captured_at IS 'WARC-Date of the capture that first showed this version: when it was first seen.';
COMMENT ON COLUMN latest_versions.title_en IS 'English title.';
COMMENT ON COLUMN latest_versions.title_zh IS 'Chinese title.';
COMMENT ON COLUMN latest_versions.summary_en IS 'English dek / standfirst / description.';
COMMENT ON COLUMN latest_versions.summary_zh IS 'Chinese dek / standfirst / description.';
COMMENT ON COLUMN latest_versions.tldr_en IS 'English TL;DR bullets (a list, empty when the page has none).';
COMMENT ON COLUMN latest_versions.tldr_zh IS 'Chinese TL;DR bullets (a list).';
COMMENT ON COLUMN latest_versions.body_en IS 'English body paragraphs in page order (a list), furniture and site boilerplate removed.';
COMMENT ON COLUMN latest_versions.body_zh IS 'Chinese body paragraphs in page order (a list).';
COMMENT ON COLUMN latest_versions.tags IS 'Tags / topics the page gives (a list).';
COMMENT ON COLUMN latest_versions.author IS 'Byline, when the page names one.';
COMMENT ON COLUMN latest_versions.published_at IS 'Publication time the page states, UTC.';
COMMENT ON COLUMN latest_versions.claimed_updated_at IS 'Update time the page claimed at this version''s capture, UTC.';
COMMENT ON COLUMN latest_versions.capture_id IS 'WARC-Record-ID of the capture (captures.record_id) this version was read from: its WARC file and offset.';

COMMENT ON COLUMN changes_with_titles.article_id IS 'The story that changed (articles.article_id).';
COMMENT ON COLUMN changes_with_titles.site IS 'Profile name of the crawl that first saw the story.';
COMMENT ON COLUMN changes_with_titles.canonical_url IS 'Normalised canonical URL of the story.';
COMMENT ON COLUMN changes_with_titles.title_en IS 'The story''s English title now (its latest version), not necessarily at the change.';
COMMENT ON COLUMN changes_with_titles.title_zh IS 'The story''s Chinese title now (its latest version).';
COMMENT ON COLUMN changes_with_titles.kind IS 'new, edited, claimed_update, removed or restored (see changes.kind).';
COMMENT ON COLUMN changes_with_titles.detected_at IS 'WARC-Date of the capture that showed the change (not the ingest time).';
COMMENT ON COLUMN changes_with_titles.from_version IS 'Version before the change; NULL for new (see changes.from_version).';
COMMENT ON COLUMN changes_with_titles.to_version IS 'Version after the change (article_versions.version); NULL for removed.';
COMMENT ON COLUMN changes_with_titles.fields IS 'Changed content fields, per language: title_en, body_zh, tldr_en, faq, tags, ... (a list; empty unless edited).';
COMMENT ON COLUMN changes_with_titles.claimed IS 'For edited: true if the page claimed the update, false for a silent edit.';
COMMENT ON COLUMN changes_with_titles.diff IS 'Paragraph-level diff of the changed fields, each block headed [field].';
COMMENT ON COLUMN changes_with_titles.capture_id IS 'The capture (captures.record_id) that showed the change.';

COMMENT ON COLUMN silent_edits.article_id IS 'The story edited (articles.article_id).';
COMMENT ON COLUMN silent_edits.site IS 'Profile name of the crawl that first saw the story.';
COMMENT ON COLUMN silent_edits.canonical_url IS 'Normalised canonical URL of the story.';
COMMENT ON COLUMN silent_edits.title_en IS 'The story''s English title now (its latest version).';
COMMENT ON COLUMN silent_edits.title_zh IS 'The story''s Chinese title now (its latest version).';
COMMENT ON COLUMN silent_edits.detected_at IS 'WARC-Date of the capture that showed the edit.';
COMMENT ON COLUMN silent_edits.from_version IS 'Version before the edit.';
COMMENT ON COLUMN silent_edits.to_version IS 'Version the edit made.';
COMMENT ON COLUMN silent_edits.fields IS 'Content fields the edit changed, per language (a list).';
COMMENT ON COLUMN silent_edits.diff IS 'Paragraph-level diff of the changed fields, each block headed [field].';
COMMENT ON COLUMN silent_edits.claimed_updated_at IS 'The update time the page still claimed after the edit (UTC; NULL when it states none).';
COMMENT ON COLUMN silent_edits.capture_id IS 'The capture (captures.record_id) that showed the edit.';

COMMENT ON COLUMN copies_across_sites.original_id IS 'The original story (near_duplicates.copy_of).';
COMMENT ON COLUMN copies_across_sites.original_site IS 'Profile name of the crawl that first saw the original.';
COMMENT ON COLUMN copies_across_sites.original_url IS 'Normalised canonical URL of the original.';
COMMENT ON COLUMN copies_across_sites.original_title_en IS 'The original''s English title (latest version).';
COMMENT ON COLUMN copies_across_sites.original_title_zh IS 'The original''s Chinese title (latest version).';
COMMENT ON COLUMN copies_across_sites.copy_id IS 'The copy (near_duplicates.article_id).';
COMMENT ON COLUMN copies_across_sites.copy_site IS 'Profile name of the crawl that first saw the copy.';
COMMENT ON COLUMN copies_across_sites.copy_url IS 'Normalised canonical URL of the copy.';
COMMENT ON COLUMN copies_across_sites.copy_title_en IS 'The copy''s English title (latest version).';
COMMENT ON COLUMN copies_across_sites.copy_title_zh IS 'The copy''s Chinese title (latest version).';
COMMENT ON COLUMN copies_across_sites.reason IS 'Why it is a copy: text (similar bodies), canonical, hreflang, amp, mobile or same_content (see near_duplicates.reason).';
COMMENT ON COLUMN copies_across_sites.similarity IS 'Exact Jaccard similarity of the two bodies'' shingle sets (a declared copy can be below 0.8).';
COMMENT ON COLUMN copies_across_sites.copy_first_seen_at IS 'WARC-Date of the first capture of the copy.';
