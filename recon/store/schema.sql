-- The exception store's tables (documented in docs/store.md). Idempotent: run before every write.
CREATE TABLE IF NOT EXISTS recon_store.store_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
-- a new store starts as version 3 (these tables); migrate.py then takes it, like any older
-- store, through the later steps (team_v4.sql, proposals_v5.sql, ...)
INSERT OR IGNORE INTO recon_store.store_info VALUES ('schema_version', '3');
CREATE TABLE IF NOT EXISTS recon_store.runs (
    run_id VARCHAR PRIMARY KEY,
    actor VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    cutoff TIMESTAMPTZ,
    data_dir VARCHAR,
    incident_id VARCHAR,
    params JSON,
    timings JSON,
    outcome VARCHAR NOT NULL,
    error VARCHAR,
    found INTEGER,
    new INTEGER,
    reopened INTEGER,
    healed INTEGER,
    still_open INTEGER,
    open_total INTEGER,
    pid INTEGER,
    -- the audit chain (audit.py; added by audit_v3.sql on older stores, in this order)
    run_no BIGINT,
    os_user VARCHAR,
    events_head VARCHAR,
    prev_hash VARCHAR,
    hash VARCHAR
);
CREATE TABLE IF NOT EXISTS recon_store.run_files (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    format VARCHAR,
    sha256 VARCHAR,
    rows BIGINT,
    amount_sum DECIMAL(18, 2)
);
CREATE TABLE IF NOT EXISTS recon_store.run_counts (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    read BIGINT,
    valid BIGINT,
    quarantined BIGINT,
    exact_duplicates BIGINT
);
CREATE TABLE IF NOT EXISTS recon_store.exceptions (
    exception_id VARCHAR PRIMARY KEY,
    finding_key VARCHAR,
    type VARCHAR NOT NULL,
    subtype VARCHAR NOT NULL,
    txn_ref VARCHAR,
    related_txn_ref VARCHAR,
    customer_id VARCHAR,
    account_id VARCHAR,
    amount DECIMAL(18, 2),
    currency VARCHAR,
    detected_at TIMESTAMPTZ NOT NULL,
    evidence VARCHAR,
    proposed_action VARCHAR,
    compensation DECIMAL(18, 2),
    event_at TIMESTAMPTZ,
    channel VARCHAR,
    status VARCHAR NOT NULL,
    assignee VARCHAR,
    resolution_code VARCHAR,
    resolution_note VARCHAR,
    closed_at TIMESTAMPTZ,
    first_seen_run VARCHAR NOT NULL,
    last_seen_run VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS recon_store.events (
    event_no BIGINT PRIMARY KEY,
    exception_id VARCHAR NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    actor VARCHAR NOT NULL,
    run_id VARCHAR,
    action VARCHAR NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR NOT NULL,
    note VARCHAR,
    -- the audit chain (audit.py; added by audit_v3.sql on older stores, in this order)
    os_user VARCHAR,
    prev_hash VARCHAR,
    hash VARCHAR
);
CREATE TABLE IF NOT EXISTS recon_store.sightings (
    run_id VARCHAR NOT NULL,
    exception_id VARCHAR NOT NULL,
    PRIMARY KEY (run_id, exception_id)
);
CREATE TABLE IF NOT EXISTS recon_store.incident_tags (
    incident_id VARCHAR NOT NULL,
    exception_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (incident_id, exception_id)
);
CREATE TABLE IF NOT EXISTS recon_store.evidence_rows (
    exception_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    file VARCHAR,
    line BIGINT,
    "row" JSON,
    captured_run VARCHAR NOT NULL
);
