-- dyad's DuckDB store. Times are UTC. The events columns are export.formats.EVENT_COLUMNS:
-- the flattened Event.to_dict() record (a test checks that the two agree).

CREATE TABLE IF NOT EXISTS documents (
    id           VARCHAR PRIMARY KEY,
    url          VARCHAR,
    title        VARCHAR,
    source       VARCHAR,
    date         DATE,
    text         VARCHAR,
    body         VARCHAR,
    content_hash VARCHAR NOT NULL,
    coded_at     TIMESTAMP NOT NULL,
    run_id       VARCHAR
);

CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR NOT NULL,
    idx    INTEGER NOT NULL,
    text   VARCHAR,
    start  INTEGER,
    "end"  INTEGER,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS events (
    event_id             VARCHAR PRIMARY KEY,
    doc_id               VARCHAR NOT NULL,
    sentence_index       INTEGER,
    sentence             VARCHAR,
    sentence_start       INTEGER,
    sentence_end         INTEGER,
    source_code          VARCHAR,
    source_name          VARCHAR,
    source_text          VARCHAR,
    source_start         INTEGER,
    source_end           INTEGER,
    source_how           VARCHAR,
    target_code          VARCHAR,
    target_name          VARCHAR,
    target_text          VARCHAR,
    target_start         INTEGER,
    target_end           INTEGER,
    target_how           VARCHAR,
    cameo                VARCHAR,
    root                 VARCHAR,
    quad_class           INTEGER,
    goldstein            DOUBLE,
    plover               VARCHAR,
    plover_mode          VARCHAR,
    modality             VARCHAR,
    date                 DATE,
    date_precision       VARCHAR,
    location_name        VARCHAR,
    location_country     VARCHAR,
    location_admin1      VARCHAR,
    location_lat         DOUBLE,
    location_lon         DOUBLE,
    location_geonames_id BIGINT,
    verb_text            VARCHAR,
    verb_start           INTEGER,
    verb_end             INTEGER,
    rule                 VARCHAR,
    confidence           DOUBLE,
    issues               VARCHAR[],
    run_id               VARCHAR
);

-- Stores made before issue codes were recorded gain the column (at the end: rows go in by name).
ALTER TABLE events ADD COLUMN IF NOT EXISTS issues VARCHAR[];
-- ... and how each actor was found ("implied" targets name no mention).
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_how VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS target_how VARCHAR;
CREATE INDEX IF NOT EXISTS events_doc ON events (doc_id);

CREATE TABLE IF NOT EXISTS errors (
    run_id  VARCHAR,
    "where" VARCHAR,
    code    VARCHAR,
    reason  VARCHAR,
    "at"    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id    VARCHAR PRIMARY KEY,
    started   TIMESTAMP NOT NULL,
    finished  TIMESTAMP,
    documents INTEGER,
    sentences INTEGER,
    events    INTEGER,
    errors    INTEGER,
    args      JSON
);

-- Near-duplicate detection (clean/dedup.py): one MinHash signature per coded document, the
-- hash values as little-endian uint32 bytes; NULL for a text too short to be judged.
CREATE TABLE IF NOT EXISTS minhashes (
    doc_id     VARCHAR PRIMARY KEY,
    hashvalues BLOB
);

-- Documents found to be near-copies of a coded document: not coded again, each counts as
-- one more article mentioning the original's events. The body is kept to locate those
-- events' sentences in the copy.
CREATE TABLE IF NOT EXISTS duplicates (
    doc_id       VARCHAR PRIMARY KEY,
    original_id  VARCHAR NOT NULL,
    url          VARCHAR,
    title        VARCHAR,
    source       VARCHAR,
    date         DATE,
    body         VARCHAR,
    content_hash VARCHAR NOT NULL,
    added        TIMESTAMP NOT NULL,
    run_id       VARCHAR
);

-- The site an article counts for in NumSources: the url's host without "www.", else the
-- source the reader gave (a feed name or a file path).
CREATE OR REPLACE MACRO dyad_site(url, source) AS coalesce(
    nullif(regexp_extract(lower(url), '^[a-z][a-z0-9+.-]*://(www\.)?([^/:?#]+)', 2), ''),
    source,
    ''
);

-- GDELT's Mentions table: one row per (event, article mentioning it). The article that
-- coded the event mentions it in its own sentence; a duplicate mentions it where the same
-- sentence is found verbatim in its body (offsets shifted there), else without offsets.
-- A view rather than rows written with the duplicate: it stays right when the original is
-- coded again, and a copy may be stored before its original's events are (one batch).
CREATE OR REPLACE VIEW mentions AS
SELECT
    e.event_id,
    e.date AS event_date,
    e.doc_id AS original_id,
    e.doc_id,
    d.url,
    d.title,
    dyad_site(d.url, d.source) AS site,
    d.coded_at AS event_added,
    d.coded_at AS mention_added,
    TRUE AS in_raw_text,
    e.sentence_index,
    e.sentence_start,
    -- an implied actor names no mention: no offset (GDELT's -1)
    CASE WHEN e.source_how = 'implied' THEN NULL ELSE e.source_start END AS source_start,
    CASE WHEN e.target_how = 'implied' THEN NULL ELSE e.target_start END AS target_start,
    e.verb_start,
    e.confidence,
    length(coalesce(d.body, d.text)) AS doc_len
FROM events e
JOIN documents d ON d.id = e.doc_id
UNION ALL
SELECT
    event_id,
    event_date,
    original_id,
    doc_id,
    url,
    title,
    dyad_site(url, source) AS site,
    event_added,
    added AS mention_added,
    pos > 0 AS in_raw_text,
    NULL AS sentence_index,
    CASE WHEN pos > 0 THEN pos - 1 END AS sentence_start,
    CASE WHEN pos > 0 THEN pos - 1 + source_start - sentence_start END AS source_start,
    CASE WHEN pos > 0 THEN pos - 1 + target_start - sentence_start END AS target_start,
    CASE WHEN pos > 0 THEN pos - 1 + verb_start - sentence_start END AS verb_start,
    confidence,
    doc_len
FROM (
    SELECT
        e.event_id, e.date AS event_date, m.original_id, m.doc_id, m.url, m.title, m.source,
        d.coded_at AS event_added, m.added, e.sentence_start,
        CASE WHEN e.source_how = 'implied' THEN NULL ELSE e.source_start END AS source_start,
        CASE WHEN e.target_how = 'implied' THEN NULL ELSE e.target_start END AS target_start,
        e.verb_start, e.confidence, length(m.body) AS doc_len,
        instr(m.body, e.sentence) AS pos
    FROM duplicates m
    JOIN events e ON e.doc_id = m.original_id
    JOIN documents d ON d.id = m.original_id
);

-- GDELT's NumMentions, NumSources, NumArticles per event. dyad codes an event once per
-- article, so NumMentions equals NumArticles.
CREATE OR REPLACE VIEW event_counts AS
SELECT
    event_id,
    count(*) AS num_mentions,
    count(DISTINCT site) AS num_sources,
    count(DISTINCT doc_id) AS num_articles
FROM mentions
GROUP BY event_id;

-- The Phoenix pipeline's one-event-per-day view: repeated reports of the same dyad and code
-- on the same day collapse to one row. Undated events have no day and are left out.
CREATE OR REPLACE VIEW daily_events AS
SELECT
    e.date,
    e.source_code,
    e.target_code,
    e.cameo,
    min(e.root) AS root,
    min(e.quad_class) AS quad_class,
    min(e.goldstein) AS goldstein,
    count(DISTINCT e.event_id) AS num_events,
    count(*) AS num_mentions,
    count(DISTINCT m.site) AS num_sources,
    count(DISTINCT m.doc_id) AS num_articles,
    min(e.event_id) AS event_id  -- one of the group's events, to look a record up
FROM events e
JOIN mentions m ON m.event_id = e.event_id
WHERE e.date IS NOT NULL
GROUP BY e.date, e.source_code, e.target_code, e.cameo;
