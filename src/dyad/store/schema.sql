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
    target_code          VARCHAR,
    target_name          VARCHAR,
    target_text          VARCHAR,
    target_start         INTEGER,
    target_end           INTEGER,
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
    run_id               VARCHAR
);

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
