-- newsarc catalog schema (DuckDB). Applied by archive/catalog/connection.py:open_catalog on every writable open,
-- so every statement must be idempotent. The WARC files are the archive; these tables are an index of
-- them and can always be rebuilt by re-ingesting data/warcs/*.warc.gz.

CREATE TABLE IF NOT EXISTS catalog_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE catalog_meta IS 'Internal: schema_version of this catalog (archive/catalog/connection.py SCHEMA_VERSION); an older catalog is rebuilt with newsarc reindex.';

-- A story's id: the first 16 hex digits of sha1 of its story key (its normalised canonical URL).
CREATE OR REPLACE MACRO article_id(story_key) AS substr(sha1(story_key), 1, 16);

CREATE TABLE IF NOT EXISTS captures (
    record_id       VARCHAR PRIMARY KEY,
    record_type     VARCHAR NOT NULL,
    url             VARCHAR,
    captured_at     TIMESTAMPTZ,
    status          INTEGER,
    content_type    VARCHAR,
    payload_digest  VARCHAR,
    block_digest    VARCHAR,
    warc_file       VARCHAR NOT NULL,
    warc_offset     BIGINT NOT NULL,
    warc_length     BIGINT NOT NULL,
    refers_to_uri   VARCHAR,
    refers_to_date  TIMESTAMPTZ,
    revisit_profile VARCHAR,
    concurrent_to   VARCHAR,
    etag            VARCHAR,
    last_modified   VARCHAR,
    ip_address      VARCHAR,
    run_id          VARCHAR,
    profile         VARCHAR,
    location        VARCHAR
);

COMMENT ON TABLE captures IS 'One row per WARC record in every ingested file (warcinfo, request, response, revisit, resource, metadata).';
COMMENT ON COLUMN captures.record_id IS 'WARC-Record-ID, e.g. <urn:uuid:...>; unique across the archive, the ingest key.';
COMMENT ON COLUMN captures.record_type IS 'WARC-Type: warcinfo, request, response, revisit, resource or metadata.';
COMMENT ON COLUMN captures.url IS 'WARC-Target-URI. A browser capture adds urn:dom:<page url> (rendered DOM), urn:text:<page url> (its text), urn:view: and urn:fullPage:<page url> (screenshots), as Browsertrix names them; older archives used urn:newsarc:rendered-dom: and urn:newsarc:screenshot:.';
COMMENT ON COLUMN captures.captured_at IS 'WARC-Date: when the capture started (UTC).';
COMMENT ON COLUMN captures.status IS 'HTTP status code of a response or revisit (304 for server-not-modified revisits); NULL when the record has no HTTP response.';
COMMENT ON COLUMN captures.content_type IS 'HTTP Content-Type of the payload for request/response/revisit; the WARC record Content-Type for warcinfo/resource/metadata.';
COMMENT ON COLUMN captures.payload_digest IS 'WARC-Payload-Digest (sha1:BASE32 of the body as stored, content encoding kept). Equal digests mean identical bodies.';
COMMENT ON COLUMN captures.block_digest IS 'WARC-Block-Digest: digest of the whole record block (HTTP headers + payload).';
COMMENT ON COLUMN captures.warc_file IS 'Basename of the .warc.gz file holding the record (in data/warcs/).';
COMMENT ON COLUMN captures.warc_offset IS 'Byte offset of the record''s gzip member in warc_file; seek here to read the record alone.';
COMMENT ON COLUMN captures.warc_length IS 'Compressed length in bytes of the record''s gzip member.';
COMMENT ON COLUMN captures.refers_to_uri IS 'WARC-Refers-To-Target-URI: for revisits, the URL of the capture holding the payload; for rendered DOMs, the page URL.';
COMMENT ON COLUMN captures.refers_to_date IS 'WARC-Refers-To-Date: WARC-Date of the capture a revisit refers to.';
COMMENT ON COLUMN captures.revisit_profile IS 'WARC-Profile of a revisit: .../revisit/identical-payload-digest or .../revisit/server-not-modified.';
COMMENT ON COLUMN captures.concurrent_to IS 'WARC-Concurrent-To: the record this one was captured with (request -> response, rendered DOM -> page response).';
COMMENT ON COLUMN captures.etag IS 'HTTP ETag header as received (raw string), used for conditional GETs.';
COMMENT ON COLUMN captures.last_modified IS 'HTTP Last-Modified header as received (raw string, not parsed).';
COMMENT ON COLUMN captures.ip_address IS 'WARC-IP-Address: the server IP the response came from, when known.';
COMMENT ON COLUMN captures.run_id IS 'newsarc-run-id from the file''s warcinfo: which crawl run wrote the record.';
COMMENT ON COLUMN captures.location IS 'HTTP Location header of a 3xx response (raw): where a redirect pointed.';
COMMENT ON COLUMN captures.profile IS 'isPartOf from the file''s warcinfo: the site profile name.';

CREATE TABLE IF NOT EXISTS warc_files (
    warc_file    VARCHAR PRIMARY KEY,
    size         BIGINT NOT NULL,
    sha256       VARCHAR NOT NULL,
    record_count BIGINT NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE warc_files IS 'One row per ingested WARC file; a file whose sha256 is here is skipped on re-ingest. A damaged file is here too, with the records that could be read (its damage is in quarantined_warcs).';
COMMENT ON COLUMN warc_files.warc_file IS 'Basename of the .warc.gz file (joins captures.warc_file and fetch_errors.warc_file).';
COMMENT ON COLUMN warc_files.size IS 'File size in bytes at ingest time.';
COMMENT ON COLUMN warc_files.sha256 IS 'Hex SHA-256 of the whole file at ingest time (fixity check and re-ingest key).';
COMMENT ON COLUMN warc_files.record_count IS 'Number of WARC records catalogued from the file, warcinfo included (all of them unless the file is quarantined).';
COMMENT ON COLUMN warc_files.ingested_at IS 'When the file was ingested into this catalog (UTC).';

CREATE TABLE IF NOT EXISTS quarantined_warcs (
    warc_file     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    size          BIGINT NOT NULL,
    damage_offset BIGINT,
    damage_length BIGINT,
    reason        VARCHAR NOT NULL,
    found_at      TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE quarantined_warcs IS 'Damage found in WARC files at ingest: one row per damaged span, written once per (warc_file, sha256). The file stays where it is (it is the archive); every record that could be read from it is catalogued, the rest is named here. newsarc ingest and newsarc verify list these.';
COMMENT ON COLUMN quarantined_warcs.warc_file IS 'Basename of the damaged .warc.gz file.';
COMMENT ON COLUMN quarantined_warcs.sha256 IS 'Hex SHA-256 of the file as found damaged; ingest skips the file while it stays so.';
COMMENT ON COLUMN quarantined_warcs.size IS 'File size in bytes when the damage was found.';
COMMENT ON COLUMN quarantined_warcs.damage_offset IS 'Byte offset where the damaged span starts (a gzip member that is not an intact record); NULL when the bytes changed after ingest but no record is damaged.';
COMMENT ON COLUMN quarantined_warcs.damage_length IS 'Length in bytes of the damaged span (to the next intact gzip member, or the end of the file).';
COMMENT ON COLUMN quarantined_warcs.reason IS 'What is wrong: corrupt or truncated gzip data, a record warcio cannot read, or a file changed since it was ingested (bit rot).';
COMMENT ON COLUMN quarantined_warcs.found_at IS 'When ingest found the damage (UTC).';

CREATE TABLE IF NOT EXISTS fetch_errors (
    record_id VARCHAR PRIMARY KEY,
    url       VARCHAR,
    failed_at TIMESTAMPTZ,
    error     VARCHAR,
    reason    VARCHAR,
    status    INTEGER,
    attempts  INTEGER,
    profile   VARCHAR,
    warc_file VARCHAR NOT NULL
);

COMMENT ON TABLE fetch_errors IS 'Failed fetches, derived from metadata records with Content-Type application/vnd.newsarc.fetch-error+json.';
COMMENT ON COLUMN fetch_errors.record_id IS 'WARC-Record-ID of the metadata record (also in captures).';
COMMENT ON COLUMN fetch_errors.url IS 'The URL that could not be fetched.';
COMMENT ON COLUMN fetch_errors.failed_at IS 'WARC-Date of the metadata record: when the failure was recorded (UTC).';
COMMENT ON COLUMN fetch_errors.error IS 'Kind of failure as the crawler classified it (the JSON "error" field).';
COMMENT ON COLUMN fetch_errors.reason IS 'Human-readable failure message.';
COMMENT ON COLUMN fetch_errors.status IS 'HTTP status when the server answered with an error; NULL for network-level failures.';
COMMENT ON COLUMN fetch_errors.attempts IS 'How many attempts were made before giving up, when known.';
COMMENT ON COLUMN fetch_errors.profile IS 'Site profile name the crawl ran under.';
COMMENT ON COLUMN fetch_errors.warc_file IS 'Basename of the .warc.gz file holding the metadata record.';

CREATE TABLE IF NOT EXISTS extractions (
    capture_id   VARCHAR PRIMARY KEY,
    url          VARCHAR NOT NULL,
    profile      VARCHAR,
    captured_at  TIMESTAMPTZ NOT NULL,
    rendered     BOOLEAN NOT NULL,
    content_hash VARCHAR,
    record       JSON,
    error        VARCHAR,
    node         VARCHAR,
    story_text   BOOLEAN,
    filled       INTEGER,
    fingerprints VARCHAR[],
    claim        TIMESTAMPTZ,
    signals      VARCHAR,
    en_paragraphs VARCHAR[],
    zh_paragraphs VARCHAR[]
);

COMMENT ON TABLE extractions IS 'Internal: one extracted record per story capture (static story response or rendered DOM). The analyst tables are derived from it.';
COMMENT ON COLUMN extractions.capture_id IS 'WARC-Record-ID of the capture the record was extracted from (captures.record_id).';
COMMENT ON COLUMN extractions.url IS 'The page URL (for a rendered DOM, the page it was rendered from).';
COMMENT ON COLUMN extractions.rendered IS 'True when extracted from a browser-rendered DOM (resource record).';
COMMENT ON COLUMN extractions.content_hash IS 'Hash of the normalised content fields (archive/stories/content.py); equal = no visible change.';
COMMENT ON COLUMN extractions.record IS 'The full extracted record (archive/stories/extract ExtractedStory as JSON).';
COMMENT ON COLUMN extractions.error IS 'Why extraction failed, if it did (the capture stays archived; nothing else is lost).';
COMMENT ON COLUMN extractions.node IS 'The page URL normalised (archive/stories/dedup/urls.py): how captures of one URL are found whatever its spelling.';
COMMENT ON COLUMN extractions.story_text IS 'The record has a title and body text in some language (a story page, not a listing or error page).';
COMMENT ON COLUMN extractions.filled IS 'Bit i set when field i of story_content.MERGED_FIELDS is non-empty: which fields this page can give a story merged from its language pages.';
COMMENT ON COLUMN extractions.fingerprints IS 'Fingerprint of each story_content.CONTENT_FIELDS value, normalised ('''' when empty), compared in SQL to find versions and changed fields.';
COMMENT ON COLUMN extractions.claim IS 'The update time the page claims (updated_at), UTC.';
COMMENT ON COLUMN extractions.en_paragraphs IS 'One hash per body_en paragraph of the record, in order (story_content.paragraph_hash): how a site''s boilerplate paragraphs are found and left out of the fingerprints.';
COMMENT ON COLUMN extractions.zh_paragraphs IS 'One hash per body_zh paragraph of the record, in order.';
COMMENT ON COLUMN extractions.signals IS 'What the page says about which story it is (canonical, AMP, mobile, hreflang URLs; its content hash when it is a story page), as canonical JSON.';

-- ---------------------------------------------------------------------------------------------
-- Stories. Derived from `extractions` + `captures` by archive/stories/derive.py, incrementally: each
-- ingest folds in only the captures of WARC files not derived yet (see the internal tables at the
-- end), and a reindex (every file new, no state) gives the same rows.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS articles (
    article_id    VARCHAR PRIMARY KEY,
    site          VARCHAR,
    canonical_url VARCHAR NOT NULL,
    title_en      VARCHAR,
    title_zh      VARCHAR,
    published_at  TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    status        VARCHAR NOT NULL,
    version_count INTEGER NOT NULL
);
COMMENT ON TABLE articles IS 'One row per story, both languages: URL variants, AMP/mobile/print pages, redirects and hreflang EN/ZH pages are folded in (see article_urls).';
COMMENT ON COLUMN articles.article_id IS 'Stable id: first 16 hex of sha1(canonical_url).';
COMMENT ON COLUMN articles.site IS 'Profile name of the crawl that first saw the story.';
COMMENT ON COLUMN articles.canonical_url IS 'Normalised canonical URL of the story (x-default or English page for hreflang pairs).';
COMMENT ON COLUMN articles.title_en IS 'English title of the latest version.';
COMMENT ON COLUMN articles.title_zh IS 'Chinese title of the latest version.';
COMMENT ON COLUMN articles.published_at IS 'Publication time the page states (JSON-LD, meta, <time>, visible dates or relative phrases resolved against the capture time), UTC.';
COMMENT ON COLUMN articles.updated_at IS 'Last update time the page claims (dateModified or an "Updated 2h ago" marker resolved at capture time), UTC.';
COMMENT ON COLUMN articles.first_seen_at IS 'WARC-Date of the first capture of any of the story''s URLs.';
COMMENT ON COLUMN articles.last_seen_at IS 'WARC-Date of the latest capture of any of the story''s URLs (revisits included).';
COMMENT ON COLUMN articles.status IS '''live'', or ''removed'' when its page last answered 404/410.';
COMMENT ON COLUMN articles.version_count IS 'Number of distinct content versions (see article_versions).';

CREATE TABLE IF NOT EXISTS article_versions (
    article_id         VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    captured_at        TIMESTAMPTZ NOT NULL,
    content_hash       VARCHAR NOT NULL,
    field_hashes       STRUCT(title_en VARCHAR, title_zh VARCHAR, summary_en VARCHAR, summary_zh VARCHAR,
                              tldr_en VARCHAR, tldr_zh VARCHAR, body_en VARCHAR, body_zh VARCHAR,
                              faq VARCHAR, tags VARCHAR),
    title_en           VARCHAR,
    title_zh           VARCHAR,
    summary_en         VARCHAR,
    summary_zh         VARCHAR,
    body_en            VARCHAR[],
    body_zh            VARCHAR[],
    tldr_en            VARCHAR[],
    tldr_zh            VARCHAR[],
    tags               VARCHAR[],
    scores             MAP(VARCHAR, DOUBLE),
    faq                STRUCT(question_en VARCHAR, answer_en VARCHAR,
                              question_zh VARCHAR, answer_zh VARCHAR)[],
    key_data           VARCHAR[][],
    author             VARCHAR,
    published_at       TIMESTAMPTZ,
    claimed_updated_at TIMESTAMPTZ,
    capture_id         VARCHAR NOT NULL,
    PRIMARY KEY (article_id, version)
);
COMMENT ON TABLE article_versions IS 'A story''s content history: a new version only when normalised content changes (never for relative times, view counts, scores or whitespace).';
COMMENT ON COLUMN article_versions.article_id IS 'The story (articles.article_id).';
COMMENT ON COLUMN article_versions.version IS '1 for the first capture, +1 at each content change.';
COMMENT ON COLUMN article_versions.captured_at IS 'WARC-Date of the capture that first showed this version.';
COMMENT ON COLUMN article_versions.content_hash IS 'Hash of the normalised content fields (titles, summaries, TL;DR, body, FAQ, tags; archive/stories/content.py).';
COMMENT ON COLUMN article_versions.field_hashes IS 'One hash per content field (a STRUCT: title_en, ..., faq, tags), to tell which fields changed between versions.';
COMMENT ON COLUMN article_versions.title_en IS 'English headline of this version.';
COMMENT ON COLUMN article_versions.title_zh IS 'Chinese headline of this version.';
COMMENT ON COLUMN article_versions.summary_en IS 'Dek / standfirst / description in English.';
COMMENT ON COLUMN article_versions.summary_zh IS 'Dek / standfirst / description in Chinese.';
COMMENT ON COLUMN article_versions.body_en IS 'English body paragraphs, in page order, page furniture removed.';
COMMENT ON COLUMN article_versions.body_zh IS 'Chinese body paragraphs, in page order.';
COMMENT ON COLUMN article_versions.tldr_en IS 'TL;DR bullets in English, when the page has them.';
COMMENT ON COLUMN article_versions.tldr_zh IS 'TL;DR bullets in Chinese, when the page has them.';
COMMENT ON COLUMN article_versions.tags IS 'Tags / topics the page gives, in page order.';
COMMENT ON COLUMN article_versions.scores IS 'Site scores and counts at that capture, a MAP from name to number, e.g. {hot=80.0, quality=75.0, views=1234.0}: a time series, not content (scores[''hot'']).';
COMMENT ON COLUMN article_versions.faq IS 'FAQ entries, a LIST of STRUCT(question_en, answer_en, question_zh, answer_zh); a language the page does not give is NULL.';
COMMENT ON COLUMN article_versions.key_data IS 'Key-data table rows, a LIST of rows each a LIST of cell texts (header rows left out).';
COMMENT ON COLUMN article_versions.author IS 'Byline, when the page names one.';
COMMENT ON COLUMN article_versions.published_at IS 'Publication time the page stated at this capture, UTC.';
COMMENT ON COLUMN article_versions.claimed_updated_at IS 'The update time the page claimed at this capture (UTC).';
COMMENT ON COLUMN article_versions.capture_id IS 'WARC-Record-ID of the capture (captures.record_id) this version was read from.';

CREATE TABLE IF NOT EXISTS paragraph_pairs (
    article_id VARCHAR NOT NULL,
    version    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    text_en    VARCHAR,
    text_zh    VARCHAR,
    PRIMARY KEY (article_id, version, position)
);
COMMENT ON TABLE paragraph_pairs IS 'Aligned English/Chinese paragraphs of each version (interleaved pages, or EN and ZH pages of one story).';
COMMENT ON COLUMN paragraph_pairs.article_id IS 'The story (articles.article_id).';
COMMENT ON COLUMN paragraph_pairs.version IS 'The version the pair belongs to (article_versions.version).';
COMMENT ON COLUMN paragraph_pairs.position IS '1-based position of the pair in the story.';
COMMENT ON COLUMN paragraph_pairs.text_en IS 'The English paragraph (only paragraphs with a plausible translation are paired).';
COMMENT ON COLUMN paragraph_pairs.text_zh IS 'The Chinese paragraph aligned with text_en.';

CREATE TABLE IF NOT EXISTS article_urls (
    url        VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL
);
COMMENT ON TABLE article_urls IS 'Every URL seen for a story and why it belongs to it. Links join URLs of one site (registrable domain); across sites only redirects and hreflang links both pages declare do, and other cross-site links make a copy (near_duplicates).';
COMMENT ON COLUMN article_urls.url IS 'A URL seen for the story, as captured or linked (not normalised).';
COMMENT ON COLUMN article_urls.article_id IS 'The story it belongs to (articles.article_id).';
COMMENT ON COLUMN article_urls.reason IS 'canonical (the story''s own URL), tracking (utm/fragment/slash variant), amp, mobile, hreflang (other-language page), redirect, same_content (identical content on the same site, no link).';

CREATE TABLE IF NOT EXISTS article_captures (
    article_id  VARCHAR NOT NULL,
    capture_id  VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    captured_at TIMESTAMPTZ NOT NULL,
    status      INTEGER NOT NULL
);
COMMENT ON TABLE article_captures IS 'Every capture of a story''s URLs (full responses, revisits, rendered DOMs, 404/410s): when the story was seen.';
COMMENT ON COLUMN article_captures.article_id IS 'The story (articles.article_id).';
COMMENT ON COLUMN article_captures.capture_id IS 'WARC-Record-ID of the capture (captures.record_id).';
COMMENT ON COLUMN article_captures.url IS 'The story URL captured.';
COMMENT ON COLUMN article_captures.captured_at IS 'WARC-Date of the capture (UTC).';
COMMENT ON COLUMN article_captures.status IS '200 when the story was there (revisits included), 404/410 when it was gone.';

CREATE TABLE IF NOT EXISTS near_duplicates (
    article_id VARCHAR NOT NULL,
    copy_of    VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL,
    reason     VARCHAR NOT NULL,
    site       VARCHAR
);
COMMENT ON TABLE near_duplicates IS 'Stories that copy another story, kept as distinct stories: bodies that are near copies (MinHash LSH, then exact Jaccard of word 3-gram / CJK 4-gram shingles >= 0.8), and pages of another site that declare a story as their original or show its exact content. One row per pair of stories.';
COMMENT ON COLUMN near_duplicates.article_id IS 'The copy.';
COMMENT ON COLUMN near_duplicates.copy_of IS 'The original: the story first seen earlier (reason text), or the story the copy declares (canonical, hreflang, amp, mobile) or whose content it repeats (same_content: the earliest captured).';
COMMENT ON COLUMN near_duplicates.similarity IS 'Exact Jaccard similarity of the two bodies'' shingle sets (0.0 when a body is empty; a declared copy can be below 0.8).';
COMMENT ON COLUMN near_duplicates.reason IS 'text (similar bodies, nothing declared); for a page of another site: canonical (its rel=canonical names the original), hreflang (it lists the original as a language version, not listed back), amp / mobile (the original names it as its AMP or mobile page), same_content (identical extracted content). A declared reason wins over text.';
COMMENT ON COLUMN near_duplicates.site IS 'The copy''s site: the profile name that first captured it (articles.site of article_id).';

CREATE TABLE IF NOT EXISTS changes (
    article_id   VARCHAR NOT NULL,
    detected_at  TIMESTAMPTZ NOT NULL,
    kind         VARCHAR NOT NULL,
    from_version INTEGER,
    to_version   INTEGER,
    fields       VARCHAR[],
    claimed      BOOLEAN,
    diff         VARCHAR,
    capture_id   VARCHAR NOT NULL
);
COMMENT ON TABLE changes IS 'What changed in each story and when: one row per event, derived from its captures in time order.';
COMMENT ON COLUMN changes.article_id IS 'The story that changed (articles.article_id).';
COMMENT ON COLUMN changes.detected_at IS 'WARC-Date of the capture that showed the change (not the ingest time).';
COMMENT ON COLUMN changes.kind IS 'new (first capture), edited (content changed), claimed_update (the page claims an update, content unchanged), removed (404/410), restored (back after removal).';
COMMENT ON COLUMN changes.from_version IS 'Version before the change (article_versions.version); NULL for new. Equal to to_version for claimed_update and restored (the content did not change).';
COMMENT ON COLUMN changes.to_version IS 'Version after the change; NULL for removed.';
COMMENT ON COLUMN changes.fields IS 'Changed content fields, per language: title_en, body_zh, tldr_en, faq, tags, ...';
COMMENT ON COLUMN changes.claimed IS 'For edited: true if the page claimed the update (Updated marker or dateModified moved), false for a silent edit.';
COMMENT ON COLUMN changes.diff IS 'Paragraph-level diff of the changed fields, each block headed [field].';
COMMENT ON COLUMN changes.capture_id IS 'The capture (captures.record_id) that showed the change.';

-- ---------------------------------------------------------------------------------------------
-- Internal state of the incremental story derivation (archive/stories/derive.py). Everything here
-- is rebuilt by a reindex; none of it is part of the public schema.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS derived_warcs (
    warc_file         VARCHAR PRIMARY KEY,
    derived_at        TIMESTAMPTZ NOT NULL,
    stories_continued INTEGER NOT NULL,
    stories_rebuilt   INTEGER NOT NULL
);
COMMENT ON TABLE derived_warcs IS 'Internal: WARC files whose captures are folded into the story tables (the derivation watermark), and what that derivation did: stories continued from their state, stories replayed from all their captures.';

CREATE TABLE IF NOT EXISTS sightings (
    capture_id    VARCHAR NOT NULL,
    node          VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    captured_at   TIMESTAMPTZ NOT NULL,
    status        INTEGER NOT NULL,
    extraction_id VARCHAR,
    run_id        VARCHAR,
    profile       VARCHAR,
    story_text    BOOLEAN NOT NULL,
    filled        INTEGER,
    fingerprints  VARCHAR[],
    claim         TIMESTAMPTZ
);
COMMENT ON TABLE sightings IS 'Internal: every capture that can show a story page: extracted pages, revisits of them (extraction_id = the extraction of the payload they repeat) and 404/410 answers.';

CREATE TABLE IF NOT EXISTS story_urls (
    url       VARCHAR PRIMARY KEY,
    node      VARCHAR NOT NULL,
    story_key VARCHAR NOT NULL,
    reason    VARCHAR NOT NULL
);
COMMENT ON TABLE story_urls IS 'Internal: the URL grouping for every URL seen or pointed to, stories without text included (article_urls holds those of stories).';

CREATE TABLE IF NOT EXISTS story_copies (
    copy_node     VARCHAR NOT NULL,
    original_node VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    copy_key      VARCHAR,
    original_key  VARCHAR
);
COMMENT ON TABLE story_copies IS 'Internal: copy relations from the URL grouping (archive/stories/dedup/groups.py): a page of one site that declares, or repeats the content of, a URL of another site, regrouped with the stories at both ends. near_duplicates shows those between two stories.';
COMMENT ON COLUMN story_copies.copy_node IS 'Normalised URL of the copy.';
COMMENT ON COLUMN story_copies.original_node IS 'Normalised URL of the original (not necessarily captured).';
COMMENT ON COLUMN story_copies.reason IS 'canonical, amp, mobile, hreflang or same_content (the strongest, when several link the two URLs).';
COMMENT ON COLUMN story_copies.copy_key IS 'Story key of the copy''s story (story_urls.story_key); NULL while the URL is in no story (an AMP page on another site, never captured).';
COMMENT ON COLUMN story_copies.original_key IS 'Story key of the original''s story; NULL while the URL is in no story (not captured, nor joined by a page of its site).';

CREATE TABLE IF NOT EXISTS page_signals (
    url               VARCHAR NOT NULL,
    node              VARCHAR NOT NULL,
    signals           VARCHAR NOT NULL,
    content           VARCHAR,
    first_captured_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE page_signals IS 'Internal: each distinct set of grouping signals a URL showed (canonical, AMP, mobile, hreflang links, content hash of a story page, redirect target), first seen when.';

CREATE TABLE IF NOT EXISTS sitemap_lastmods (
    run_id  VARCHAR NOT NULL,
    node    VARCHAR NOT NULL,
    lastmod VARCHAR NOT NULL,
    PRIMARY KEY (run_id, node)
);
COMMENT ON TABLE sitemap_lastmods IS 'Internal: each story URL''s <lastmod> in the sitemaps archived by each crawl run.';

CREATE TABLE IF NOT EXISTS story_state (
    article_id    VARCHAR NOT NULL,
    content_only  BOOLEAN NOT NULL,
    version_count INTEGER NOT NULL,
    last_hash     VARCHAR NOT NULL,
    fingerprints  VARCHAR[] NOT NULL,
    sources       VARCHAR[] NOT NULL,
    last_claim    TIMESTAMPTZ,
    last_run      VARCHAR,
    last_look_run VARCHAR,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    status        VARCHAR NOT NULL
);
COMMENT ON TABLE story_state IS 'Internal: where each story''s history stands after the last derivation, the seed of the next one: its latest version''s hash, field fingerprints and source extractions, last claimed update, last crawl run, latest capture time, status.';

CREATE TABLE IF NOT EXISTS story_pages (
    article_id VARCHAR NOT NULL,
    url        VARCHAR NOT NULL,
    merge_rank   INTEGER NOT NULL,
    capture_id   VARCHAR NOT NULL,
    filled       INTEGER NOT NULL,
    fingerprints VARCHAR[] NOT NULL,
    claim        TIMESTAMPTZ
);
COMMENT ON TABLE story_pages IS 'Internal: the latest extraction of each of a story''s pages; a story''s record merges them (canonical page first).';

CREATE TABLE IF NOT EXISTS site_paragraphs (
    site VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    node VARCHAR NOT NULL,
    PRIMARY KEY (site, hash, node)
);
COMMENT ON TABLE site_paragraphs IS 'Internal: which pages of a site (profile, or host) showed each body paragraph (story_content.paragraph_hash), to find the paragraphs a site repeats across its stories (archive/stories/boilerplate.py).';

CREATE TABLE IF NOT EXISTS site_boilerplate (
    site VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    PRIMARY KEY (site, hash)
);
COMMENT ON TABLE site_boilerplate IS 'Internal: body paragraphs a site showed on three or more distinct stories (promos, newsletter boxes, trending titles, disclaimers): left out of the fingerprints and of article_versions'' bodies.';

CREATE TABLE IF NOT EXISTS story_bands (
    band       INTEGER NOT NULL,
    band_hash  UBIGINT NOT NULL,
    article_id VARCHAR NOT NULL
);
COMMENT ON TABLE story_bands IS 'Internal: LSH band keys of each signature; stories sharing a band are near-duplicate candidates.';

-- ---------------------------------------------------------------------------------------------
-- Search (archive/stories/search.py): an inverted index over the latest version of every story,
-- kept by the derivation step update_search_index (only the stories with a new latest version
-- are re-indexed) and rebuilt by a reindex. `newsarc search` ranks it with BM25.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS search_documents (
    article_id  VARCHAR NOT NULL,
    article_key UBIGINT NOT NULL,
    lang        VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    captured_at TIMESTAMPTZ NOT NULL,
    length      DOUBLE NOT NULL
);
COMMENT ON TABLE search_documents IS 'One search document per story and language it has text in: the story''s latest version (titles, summaries, TL;DR, body).';
COMMENT ON COLUMN search_documents.article_id IS 'The story (articles.article_id).';
COMMENT ON COLUMN search_documents.article_key IS 'article_id read as the 64-bit number its 16 hex digits spell (printf(''%016x'', article_key) = article_id): what the index joins and deletes on, an integer being far faster to scan than text.';
COMMENT ON COLUMN search_documents.lang IS 'en or zh: which language''s fields the document holds.';
COMMENT ON COLUMN search_documents.version IS 'The version indexed: the story''s latest (article_versions.version).';
COMMENT ON COLUMN search_documents.captured_at IS 'When that version was first captured (article_versions.captured_at); `newsarc search --since` filters on it.';
COMMENT ON COLUMN search_documents.length IS 'Weighted length: the sum of search_postings.tf over the document (each term occurrence weighs 3 in a title, 2 in a summary or TL;DR, 1 in the body); BM25 normalises by it.';

CREATE TABLE IF NOT EXISTS search_postings (
    term        VARCHAR NOT NULL,
    article_key UBIGINT NOT NULL,
    lang        VARCHAR NOT NULL,
    tf          DOUBLE NOT NULL,
    doc_length  DOUBLE NOT NULL
);
COMMENT ON TABLE search_postings IS 'The inverted index: one row per term of each search document, sorted by term (but for the postings counted in search_tail). Chinese is segmented into words by rjieba (search mode: the words inside longer words too), then every text is cut into lowercase letter/digit runs; queries are tokenised the same way.';
COMMENT ON COLUMN search_postings.term IS 'An index term: a lowercase English word or number, or a Chinese word.';
COMMENT ON COLUMN search_postings.article_key IS 'The story (search_documents.article_key; printf(''%016x'', article_key) = articles.article_id).';
COMMENT ON COLUMN search_postings.lang IS 'The document''s language (search_documents.lang).';
COMMENT ON COLUMN search_postings.tf IS 'Weighted term frequency: occurrences in the title x3, in summary and TL;DR x2, in the body x1.';
COMMENT ON COLUMN search_postings.doc_length IS 'The document''s weighted length (search_documents.length), repeated on each of its postings so that ranking reads the postings alone.';

CREATE TABLE IF NOT EXISTS search_tail (
    postings BIGINT NOT NULL
);
COMMENT ON TABLE search_tail IS 'Internal: how many search_postings rows were appended since the index was last sorted by term (archive/stories/search.py sorts it again when they pass 10% of the index).';
COMMENT ON COLUMN search_tail.postings IS 'Postings appended after the last sort (one row at most; none = 0).';
