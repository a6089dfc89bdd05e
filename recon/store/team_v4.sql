-- Store schema 4: the analysts' team (issue 12; docs/store.md, "Users and roles").
-- Users with a role and an argon2 password hash (never the password). Creating or changing a
-- user is an event in the audit chain (`events`, exception_id `user:<name>`), so `recon audit
-- verify` covers it; this table is its current state.
CREATE TABLE recon_store.users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL,
    created_by VARCHAR NOT NULL,
    changed_at TIMESTAMPTZ,
    changed_by VARCHAR
);
-- Optimistic locking: every change of an exception (an analyst's, or a run's that changes
-- its status) adds one; an action given an older version is refused.
ALTER TABLE recon_store.exceptions ADD COLUMN version INTEGER DEFAULT 1;
-- Files attached to an exception. The ATTACHED event (event_no) records name and sha256 in
-- the audit chain; `recon audit verify` checks the content still has that sha256.
CREATE TABLE recon_store.attachments (
    attachment_id BIGINT PRIMARY KEY,
    exception_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    content_type VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    content BLOB NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    event_no BIGINT NOT NULL
);
