-- Store schema 6: after an incident, the customers' notices and the regulator's report
-- (issue 16; docs/incident.md). Run once, by migrate.py, in its own transaction.

-- One notice to one customer about one incident, in one channel and language, as rendered.
-- Keyed by its content: preparing the same notice again adds nothing. PREPARED -> SENT when
-- the sending system's receipt is recorded; PREPARED -> SUPERSEDED when a changed notice
-- (a case closed since) replaces one not yet sent. Each change is an event in the audit
-- chain about `notice:<notice_id>`.
CREATE TABLE recon_store.notices (
    notice_id VARCHAR PRIMARY KEY,      -- N-<16 hex of incident, customer, channel, language, content>
    incident_id VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,           -- sms | app | letter
    language VARCHAR NOT NULL,          -- zh-CN | en
    kind VARCHAR NOT NULL,              -- AFFECTED | RESOLVED (every case closed before sending)
    content_sha256 VARCHAR NOT NULL,
    content VARCHAR NOT NULL,           -- the text as rendered for sending
    exception_ids VARCHAR NOT NULL,     -- the cases it speaks of, ';'-joined in id order
    state VARCHAR NOT NULL,             -- PREPARED | SUPERSEDED | SENT
    prepared_at TIMESTAMPTZ NOT NULL,
    prepared_by VARCHAR NOT NULL,
    sent_at TIMESTAMPTZ,
    receipt_ref VARCHAR,                -- the sending system's id of the message
    receipt_recorded_by VARCHAR
);
-- Each version of the regulator's report on an incident: its figures as published (so the
-- next version can say what changed), numbered 1, 2, ... per incident.
CREATE TABLE recon_store.incident_reports (
    incident_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,    -- of the figures' canonical JSON
    figures JSON NOT NULL,
    PRIMARY KEY (incident_id, version)
);
