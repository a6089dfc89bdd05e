-- Store schema 5: maker-checker over corrections and compensation, and alerts (issue 12;
-- docs/store.md, "Corrections and compensation"). Run once, by migrate.py, in its own
-- transaction.

-- What the runs computed, one row per (exception, kind, alternative), keyed stably
-- (`CR-<id>-<alternative>`, `CP-<id>`): a rerun updates its row, never adds one. The
-- figures are the latest; every revision of them is in suggestion_history.
CREATE TABLE recon_store.suggestions (
    suggestion_id VARCHAR PRIMARY KEY,
    exception_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- CORRECTION | COMPENSATION
    alternative VARCHAR NOT NULL,       -- the correction's action (REVERSE_DEBIT, POST_CREDIT, ...); INTEREST
    amount DECIMAL(18, 2) NOT NULL,     -- each leg's amount; the compensation
    currency VARCHAR NOT NULL,
    customer_id VARCHAR,
    detail JSON NOT NULL,               -- legs (account, direction, amount) or basis; amounts as text
    revision INTEGER NOT NULL,          -- 1, then +1 each time a run's figures differ
    first_run VARCHAR NOT NULL,
    updated_run VARCHAR NOT NULL,       -- the run that set the current figures
    last_run VARCHAR NOT NULL           -- the last run that computed it
);
CREATE TABLE recon_store.suggestion_history (
    suggestion_id VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    run_id VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    amount DECIMAL(18, 2) NOT NULL,
    currency VARCHAR NOT NULL,
    customer_id VARCHAR,
    detail JSON NOT NULL,
    PRIMARY KEY (suggestion_id, revision)
);
-- What an analyst put forward for approval, and its decision and posting:
-- PROPOSED -> APPROVED | REJECTED, APPROVED -> POSTED (proposals.py).
CREATE TABLE recon_store.proposals (
    proposal_id VARCHAR PRIMARY KEY,    -- P-000001, numbered in order
    proposal_no BIGINT NOT NULL UNIQUE,
    exception_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- CORRECTION | COMPENSATION
    state VARCHAR NOT NULL,
    suggestion_id VARCHAR,              -- null for one an analyst wrote by hand
    suggestion_revision INTEGER,        -- the suggestion's figures it copied
    amount DECIMAL(18, 2) NOT NULL,
    currency VARCHAR NOT NULL,
    detail JSON NOT NULL,
    proposed_by VARCHAR NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    decided_by VARCHAR,
    decided_at TIMESTAMPTZ,
    decision_note VARCHAR,
    posted_by VARCHAR,
    posted_at TIMESTAMPTZ,
    posting_ref VARCHAR,
    version INTEGER NOT NULL            -- 1, +1 per change: a stale expected_version is refused
);
-- Alerts a run raised about an exception; one per (exception, kind), whatever reruns see.
-- The exception keeps its status (an analyst's resolution stands); the alert is on the
-- queue until an analyst acknowledges it with a note (proposals.acknowledge_alert).
CREATE TABLE recon_store.alerts (
    exception_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- DOUBLE_CREDIT_RISK
    raised_at TIMESTAMPTZ NOT NULL,
    run_id VARCHAR NOT NULL,
    resolved_by VARCHAR,                -- who had resolved it CORRECTED
    resolved_at TIMESTAMPTZ,
    note VARCHAR NOT NULL,
    acknowledged_by VARCHAR,
    acknowledged_at TIMESTAMPTZ,
    acknowledge_note VARCHAR,
    PRIMARY KEY (exception_id, kind)
);
