-- newsarc catalog schema (DuckDB). Applied by archive/catalog.py:open_catalog on every writable open,
-- so every statement must be idempotent. The WARC files are the archive; these tables are an index of
-- them and can always be rebuilt by re-ingesting data/warcs/*.warc.gz.

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
COMMENT ON COLUMN captures.url IS 'WARC-Target-URI. Rendered DOMs are urn:newsarc:rendered-dom:<page url>, screenshots urn:newsarc:screenshot:<page url>.';
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

COMMENT ON TABLE warc_files IS 'One row per fully ingested WARC file; a file whose sha256 is here is skipped on re-ingest.';
COMMENT ON COLUMN warc_files.warc_file IS 'Basename of the .warc.gz file (joins captures.warc_file and fetch_errors.warc_file).';
COMMENT ON COLUMN warc_files.size IS 'File size in bytes at ingest time.';
COMMENT ON COLUMN warc_files.sha256 IS 'Hex SHA-256 of the whole file at ingest time (fixity check and re-ingest key).';
COMMENT ON COLUMN warc_files.record_count IS 'Number of WARC records in the file, warcinfo included.';
COMMENT ON COLUMN warc_files.ingested_at IS 'When the file was ingested into this catalog (UTC).';

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
    error        VARCHAR
);

COMMENT ON TABLE extractions IS 'Internal: one extracted record per story capture (static story response or rendered DOM). The analyst tables are derived from it.';
COMMENT ON COLUMN extractions.capture_id IS 'WARC-Record-ID of the capture the record was extracted from (captures.record_id).';
COMMENT ON COLUMN extractions.url IS 'The page URL (for a rendered DOM, the page it was rendered from).';
COMMENT ON COLUMN extractions.rendered IS 'True when extracted from a browser-rendered DOM (resource record).';
COMMENT ON COLUMN extractions.content_hash IS 'Hash of the normalised content fields (archive/story_content.py); equal = no visible change.';
COMMENT ON COLUMN extractions.record IS 'The full extracted record (archive/extract ExtractedStory as JSON).';
COMMENT ON COLUMN extractions.error IS 'Why extraction failed, if it did (the capture stays archived; nothing else is lost).';
