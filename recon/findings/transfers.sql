-- One row of facts per transfer (txn_ref), so the half-completed, amount and invoice checks
-- are plain filters over this table. Each source is aggregated once per txn_ref with
-- conditional aggregates, and the four results are joined on txn_ref. Only what decides a
-- finding is computed for every transfer: narrow numeric state keeps 10M transfers inside
-- a 3 GB memory limit. (Computing the descriptive columns for every transfer too, in one
-- GROUP BY over the union of all sources, took 7x as long at 1M transfers and ran out of
-- memory at 10M; even a narrow single GROUP BY over that union, with these same figures as
-- FILTERed aggregates, took 2.7 s at 1M against 1.1 s for the four aggregates and joins;
-- merging the four per-source results by a GROUP BY over their union instead of the joins
-- took 1.2 s against 0.3 s.) Descriptive facts (which entry, account, request) are looked up in
-- findings.sql for the found transfers only.
-- "booked" = a POSTED debit leg no later posting reverses; the `_all` figures include
-- debits counted as duplicates, the others leave them out.

CREATE OR REPLACE TABLE _fb_ledger_txn AS
WITH legs AS (
    SELECT l.txn_ref, l.posted_at, l.direction, l.status, l.amount, l.account_id,
           l.reversal_of IS NULL AND l.direction = 'D' AS debit_leg,
           l.reversal_of IS NULL AND l.direction = 'C' AS credit_leg,
           l.reversal_of IS NULL AND l.direction = 'D' AND l.status = 'POSTED'
               AND rv.entry_id IS NULL AS booked,
           rv.entry_id IS NOT NULL AS reversed,
           d.entry_id IS NOT NULL AS dup,
           l.status = 'PENDING'
               AND l.posted_at < $cutoff::TIMESTAMPTZ - to_minutes($pending_sla_minutes)
               AS stale_pending
    FROM ledger AS l
    LEFT JOIN _fb_reversed AS rv ON rv.entry_id = l.entry_id
    LEFT JOIN _fb_dup AS d ON d.entry_id = l.entry_id
)
SELECT txn_ref,
       min(posted_at) AS first_ledger_at,
       count(*) FILTER (booked) AS booked_all_n,
       coalesce(sum(amount) FILTER (booked), 0) AS booked_all_debit,
       count(*) FILTER (booked AND NOT dup) AS booked_n,
       coalesce(sum(amount) FILTER (booked AND NOT dup), 0) AS booked_debit,
       coalesce(bool_or(reversed) FILTER (debit_leg), false) AS debit_reversed,
       coalesce(sum(amount) FILTER (credit_leg AND status = 'POSTED' AND NOT reversed), 0)
           AS posted_credit,
       coalesce(
           bool_or(list_contains($clearing_accounts::VARCHAR[], account_id))
               FILTER (credit_leg),
           false
       ) AS clearing_credit,
       count(*) FILTER (stale_pending) AS stale_pending_n,
       sum(amount) FILTER (stale_pending AND direction = 'D') AS pending_debit,
       sum(amount) FILTER (stale_pending AND direction = 'C') AS pending_credit
FROM legs
GROUP BY txn_ref;

CREATE OR REPLACE TABLE _fb_channel_txn AS
SELECT coalesce(c.txn_ref, rt.txn_ref) AS txn_ref, min(c.requested_at) AS first_request_at
FROM channel AS c
LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
WHERE coalesce(c.txn_ref, rt.txn_ref) IS NOT NULL
GROUP BY coalesce(c.txn_ref, rt.txn_ref);

-- The payment is the first SUCCESS record; REFUNDED records are never an attempt.
-- Ordered picks are taken in two steps: a transfer with one record of the kind gets that
-- record's value from a plain min(); only the few with more than one are picked again by
-- (gateway_at, gateway_ref). arg_min over a (timestamp, text) key for every transfer cost
-- 9.5-11 s of a 10M-transfer run in 2GB, the two steps 1.6 s.
CREATE OR REPLACE TABLE _fb_gateway_txn AS
SELECT txn_ref,
       min(gateway_at) AS first_gateway_at,
       count(*) AS gateway_n,
       count(*) FILTER (status = 'SUCCESS') AS success_n,
       min(amount) FILTER (status = 'SUCCESS') AS paid_amount,
       bool_and(coalesce(invoice_required, true)) FILTER (status = 'SUCCESS')
           AS paid_invoice_required,
       count(*) FILTER (status <> 'REFUNDED') AS attempt_n,
       min(amount) FILTER (status <> 'REFUNDED') AS attempted_amount
FROM gateway
GROUP BY txn_ref;

UPDATE _fb_gateway_txn AS t
SET paid_amount = f.paid_amount, paid_invoice_required = f.paid_invoice_required
FROM (
    SELECT txn_ref,
           arg_min(amount, (gateway_at, gateway_ref)) AS paid_amount,
           arg_min(coalesce(invoice_required, true), (gateway_at, gateway_ref))
               AS paid_invoice_required
    FROM gateway
    WHERE status = 'SUCCESS'
      AND txn_ref IN (SELECT txn_ref FROM _fb_gateway_txn WHERE success_n > 1)
    GROUP BY txn_ref
) AS f
WHERE t.txn_ref = f.txn_ref;

UPDATE _fb_gateway_txn AS t
SET attempted_amount = f.attempted_amount
FROM (
    SELECT txn_ref, arg_max(amount, (gateway_at, gateway_ref)) AS attempted_amount
    FROM gateway
    WHERE status <> 'REFUNDED'
      AND txn_ref IN (SELECT txn_ref FROM _fb_gateway_txn WHERE attempt_n > 1)
    GROUP BY txn_ref
) AS f
WHERE t.txn_ref = f.txn_ref;

-- The invoice is the first ISSUED one by (issued_at, invoice_id), picked in two steps as above.
CREATE OR REPLACE TABLE _fb_invoice_txn AS
SELECT txn_ref,
       min(issued_at) AS first_invoice_at,
       count(*) FILTER (status = 'ISSUED') AS issued_n,
       min(amount) FILTER (status = 'ISSUED') AS invoice_amount,
       min(invoice_id) FILTER (status = 'ISSUED') AS invoice_id
FROM invoices
GROUP BY txn_ref;

UPDATE _fb_invoice_txn AS t
SET invoice_amount = f.invoice_amount, invoice_id = f.invoice_id
FROM (
    SELECT txn_ref,
           arg_min(amount, (issued_at, invoice_id)) AS invoice_amount,
           arg_min(invoice_id, (issued_at, invoice_id)) AS invoice_id
    FROM invoices
    WHERE status = 'ISSUED'
      AND txn_ref IN (SELECT txn_ref FROM _fb_invoice_txn WHERE issued_n > 1)
    GROUP BY txn_ref
) AS f
WHERE t.txn_ref = f.txn_ref;

-- The four are joined one FULL JOIN per statement. Three chained FULL JOINs hold three hash
-- tables at once and cannot spill them: 10M transfers need 200MB for them alone, and a 100M
-- day ran out of memory there in a 2GB limit. One join at a time spills and runs in any
-- limit (10M: 100MB); it costs 17 s against 9 s at 10M in 2GB (docs/benchmarks.md).
CREATE OR REPLACE TABLE _fb_lc_txn AS
SELECT * FROM _fb_ledger_txn FULL JOIN _fb_channel_txn USING (txn_ref);
DROP TABLE _fb_ledger_txn;
DROP TABLE _fb_channel_txn;

CREATE OR REPLACE TABLE _fb_lcg_txn AS
SELECT * FROM _fb_lc_txn FULL JOIN _fb_gateway_txn USING (txn_ref);
DROP TABLE _fb_lc_txn;
DROP TABLE _fb_gateway_txn;

CREATE OR REPLACE TABLE _fb_txn AS
WITH joined AS (
    SELECT *,
           least(first_ledger_at, first_request_at, first_gateway_at, first_invoice_at)
               AS first_at
    FROM _fb_lcg_txn
    FULL JOIN _fb_invoice_txn USING (txn_ref)
    WHERE txn_ref IS NOT NULL
)
SELECT txn_ref,
       first_at,
       first_at >= $cutoff::TIMESTAMPTZ - to_minutes($grace_minutes) AS in_flight,
       coalesce(booked_all_n, 0) AS booked_all_n,
       coalesce(booked_all_debit, 0) AS booked_all_debit,
       coalesce(booked_n, 0) AS booked_n,
       coalesce(booked_debit, 0) AS booked_debit,
       coalesce(debit_reversed, false) AS debit_reversed,
       coalesce(posted_credit, 0) AS posted_credit,
       coalesce(clearing_credit, false) AS clearing_credit,
       coalesce(stale_pending_n, 0) AS stale_pending_n,
       pending_debit,
       pending_credit,
       coalesce(gateway_n, 0) AS gateway_n,
       coalesce(success_n, 0) AS success_n,
       paid_amount,
       coalesce(paid_invoice_required, true) AS invoice_required,
       attempted_amount,
       coalesce(issued_n, 0) AS issued_n,
       invoice_amount,
       invoice_id
FROM joined;

-- the per-source facts live on in _fb_txn: free their memory before the checks run
DROP TABLE _fb_lcg_txn;
DROP TABLE _fb_invoice_txn;

CREATE OR REPLACE TABLE evaluated_txn_refs AS
SELECT txn_ref
FROM _fb_txn
WHERE NOT in_flight;

-- Every finding is staged here. A NULL request_id, account_id, currency, event_at or
-- comp_from is filled in findings.sql from the transfer's own rows; interest is paid on
-- `comp_basis` held since `comp_from` (plus `comp_fee`). Evidence items name source rows;
-- `@debit`, `@pending` and `@payment` stand for the transfer's first booked debit, first
-- stale pending leg and payment record, looked up in findings.sql.
CREATE OR REPLACE TABLE _fb_found (
    finding_key VARCHAR,
    type VARCHAR,
    subtype VARCHAR,
    txn_ref VARCHAR,
    related_txn_ref VARCHAR,
    request_id VARCHAR,
    account_id VARCHAR,
    -- money as DECIMAL(38,2): a sum or difference of amounts may pass 16 integer digits; a
    -- finding whose money does not fit DECIMAL(18,2) stops the run (breaks.py), no overflow
    amount DECIMAL(38, 2),
    currency VARCHAR,
    proposed_action VARCHAR,
    event_at TIMESTAMPTZ,
    comp_basis DECIMAL(38, 2),
    comp_from TIMESTAMPTZ,
    comp_fee DECIMAL(38, 2),
    evidence VARCHAR[],
    -- for a finding about one row of an extract (a duplicate debit, an extra charge or
    -- invoice, a channel request): the row's own id. It never enters the key: such ids are
    -- unique only within one delivery.
    tie VARCHAR,
    -- and that row's number `n` in the key's `#n`: 1 + the rows of its source that share its
    -- transfer and instant (ledger: also account, amount and direction D; gateway and
    -- invoices: also amount; channel: also debit account) and have a smaller id, leaving out
    -- the row the finding's row duplicates. Rows count whatever their status or whether they
    -- are findings themselves, so a finding keeps its number when another one goes away
    -- (reversed, refunded, voided); numbering among the current findings let the next one
    -- take over the id (and an analyst's decision) of the one that went.
    tie_no BIGINT
);
