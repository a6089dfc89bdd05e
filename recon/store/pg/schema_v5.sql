-- A PostgreSQL store at schema 5: the tables of the DuckDB store (recon/store/schema.sql,
-- team_v4.sql, proposals_v5.sql), same names, columns in the same order, types that keep
-- every value exactly: text, timestamptz (microseconds, as DuckDB), numeric(18, 2) for money,
-- json (the text as written, so the audit chain hashes the same bytes: never jsonb), bytea.
-- One step: no PostgreSQL store older than schema 5 exists. Run whole, inside migrate.py's
-- transaction, by the role that owns the store.
CREATE TABLE recon.runs (
    run_id text PRIMARY KEY,
    actor text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    cutoff timestamptz,
    data_dir text,
    incident_id text,
    params json,
    timings json,
    outcome text NOT NULL,
    error text,
    found integer,
    new integer,
    reopened integer,
    healed integer,
    still_open integer,
    open_total integer,
    pid integer,
    run_no bigint,
    os_user text,
    events_head text,
    prev_hash text,
    hash text
);
CREATE TABLE recon.run_files (
    run_id text NOT NULL,
    source text NOT NULL,
    path text NOT NULL,
    format text,
    sha256 text,
    rows bigint,
    amount_sum numeric(18, 2)
);
CREATE INDEX ON recon.run_files (run_id);
CREATE TABLE recon.run_counts (
    run_id text NOT NULL,
    source text NOT NULL,
    read bigint,
    valid bigint,
    quarantined bigint,
    exact_duplicates bigint
);
CREATE INDEX ON recon.run_counts (run_id);
CREATE TABLE recon.exceptions (
    exception_id text PRIMARY KEY,
    finding_key text,
    type text NOT NULL,
    subtype text NOT NULL,
    txn_ref text,
    related_txn_ref text,
    customer_id text,
    account_id text,
    amount numeric(18, 2),
    currency text,
    detected_at timestamptz NOT NULL,
    evidence text,
    proposed_action text,
    compensation numeric(18, 2),
    event_at timestamptz,
    channel text,
    status text NOT NULL,
    assignee text,
    resolution_code text,
    resolution_note text,
    closed_at timestamptz,
    first_seen_run text NOT NULL,
    last_seen_run text NOT NULL,
    version integer DEFAULT 1
);
CREATE INDEX ON recon.exceptions (finding_key);
CREATE INDEX ON recon.exceptions (txn_ref);
CREATE INDEX ON recon.exceptions (status);
CREATE TABLE recon.events (
    event_no bigint PRIMARY KEY,
    exception_id text NOT NULL,
    changed_at timestamptz NOT NULL,
    actor text NOT NULL,
    run_id text,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    note text,
    os_user text,
    prev_hash text,
    hash text
);
CREATE INDEX ON recon.events (exception_id);
CREATE TABLE recon.sightings (
    run_id text NOT NULL,
    exception_id text NOT NULL,
    PRIMARY KEY (run_id, exception_id)
);
CREATE TABLE recon.incident_tags (
    incident_id text NOT NULL,
    exception_id text NOT NULL,
    run_id text NOT NULL,
    PRIMARY KEY (incident_id, exception_id)
);
CREATE TABLE recon.evidence_rows (
    exception_id text NOT NULL,
    position integer NOT NULL,
    source text NOT NULL,
    key text NOT NULL,
    file text,
    line bigint,
    "row" json,
    captured_run text NOT NULL
);
CREATE INDEX ON recon.evidence_rows (exception_id);
CREATE TABLE recon.users (
    name text PRIMARY KEY,
    role text NOT NULL,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    changed_at timestamptz,
    changed_by text
);
CREATE TABLE recon.attachments (
    attachment_id bigint PRIMARY KEY,
    exception_id text NOT NULL,
    name text NOT NULL,
    content_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    added_by text NOT NULL,
    added_at timestamptz NOT NULL,
    event_no bigint NOT NULL
);
CREATE TABLE recon.suggestions (
    suggestion_id text PRIMARY KEY,
    exception_id text NOT NULL,
    kind text NOT NULL,
    alternative text NOT NULL,
    amount numeric(18, 2) NOT NULL,
    currency text NOT NULL,
    customer_id text,
    detail json NOT NULL,
    revision integer NOT NULL,
    first_run text NOT NULL,
    updated_run text NOT NULL,
    last_run text NOT NULL
);
CREATE TABLE recon.suggestion_history (
    suggestion_id text NOT NULL,
    revision integer NOT NULL,
    run_id text NOT NULL,
    recorded_at timestamptz NOT NULL,
    amount numeric(18, 2) NOT NULL,
    currency text NOT NULL,
    customer_id text,
    detail json NOT NULL,
    PRIMARY KEY (suggestion_id, revision)
);
CREATE TABLE recon.proposals (
    proposal_id text PRIMARY KEY,
    proposal_no bigint NOT NULL UNIQUE,
    exception_id text NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    suggestion_id text,
    suggestion_revision integer,
    amount numeric(18, 2) NOT NULL,
    currency text NOT NULL,
    detail json NOT NULL,
    proposed_by text NOT NULL,
    proposed_at timestamptz NOT NULL,
    decided_by text,
    decided_at timestamptz,
    decision_note text,
    posted_by text,
    posted_at timestamptz,
    posting_ref text,
    version integer NOT NULL
);
CREATE TABLE recon.alerts (
    exception_id text NOT NULL,
    kind text NOT NULL,
    raised_at timestamptz NOT NULL,
    run_id text NOT NULL,
    resolved_by text,
    resolved_at timestamptz,
    note text NOT NULL,
    acknowledged_by text,
    acknowledged_at timestamptz,
    acknowledge_note text,
    PRIMARY KEY (exception_id, kind)
);
-- The audit log is append-only for everyone, the owner included (docs/store.md, "Roles"):
-- an UPDATE, DELETE or TRUNCATE of an event fails. The roles' grants say the same again.
CREATE FUNCTION recon.events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'recon.events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON recon.events
    FOR EACH ROW EXECUTE FUNCTION recon.events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON recon.events
    FOR EACH STATEMENT EXECUTE FUNCTION recon.events_append_only();
