-- Store schema 6 on PostgreSQL: the same tables as recon/store/notices_v6.sql, column for
-- column (tests/store/test_pg_store.py compares them): customers' notices after an incident
-- and the versions of the regulator's report (issue 16).
CREATE TABLE recon.notices (
    notice_id text PRIMARY KEY,
    incident_id text NOT NULL,
    customer_id text NOT NULL,
    channel text NOT NULL,
    language text NOT NULL,
    kind text NOT NULL,
    content_sha256 text NOT NULL,
    content text NOT NULL,
    exception_ids text NOT NULL,
    state text NOT NULL,
    prepared_at timestamptz NOT NULL,
    prepared_by text NOT NULL,
    sent_at timestamptz,
    receipt_ref text,
    receipt_recorded_by text
);
CREATE TABLE recon.incident_reports (
    incident_id text NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    content_sha256 text NOT NULL,
    figures json NOT NULL,
    PRIMARY KEY (incident_id, version)
);
