-- One row of facts per transfer (txn_ref), so the half-completed, amount and invoice checks
-- are plain filters over this table. Each source is aggregated once per txn_ref with
-- conditional aggregates, and the four results are joined on txn_ref (measured: about six
-- times faster than one GROUP BY over the union of all four sources, whose wide aggregate
-- state per transfer dominated). "booked" = a POSTED debit leg no later posting reverses;
-- the `_all` figures include debits counted as duplicates, the others leave them out.

-- A request told TIMEOUT or FAILED may carry no txn_ref although the core posted it: it
-- belongs to the transfer its ledger legs name through request_id.
CREATE OR REPLACE TABLE _fb_request_txn AS
SELECT c.request_id, min(l.txn_ref) AS txn_ref
FROM channel AS c
JOIN ledger AS l ON l.request_id = c.request_id
WHERE c.txn_ref IS NULL
GROUP BY c.request_id;

CREATE OR REPLACE TABLE _fb_ledger_txn AS
WITH legs AS (
    SELECT l.txn_ref, l.posted_at AS ts, l.entry_id AS ref, l.account_id, l.direction,
           l.status, l.amount, l.currency, l.request_id,
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
       min(ts) AS first_ledger_at,
       count(*) FILTER (booked) AS booked_all_n,
       coalesce(sum(amount) FILTER (booked), 0) AS booked_all_debit,
       count(*) FILTER (booked AND NOT dup) AS booked_n,
       coalesce(sum(amount) FILTER (booked AND NOT dup), 0) AS booked_debit,
       min(ts) FILTER (booked AND NOT dup) AS debit_at,
       arg_min(ref, (ts, ref)) FILTER (booked AND NOT dup) AS debit_entry,
       min(ts) FILTER (debit_leg) AS first_debit_at,
       coalesce(bool_or(reversed) FILTER (debit_leg), false) AS debit_reversed,
       coalesce(
           arg_min(account_id, (ts, ref)) FILTER (booked AND NOT dup),
           arg_min(account_id, (ts, ref)) FILTER (debit_leg)
       ) AS debit_account,
       coalesce(
           arg_min(currency, (ts, ref)) FILTER (debit_leg), arg_min(currency, (ts, ref))
       ) AS ledger_currency,
       coalesce(
           arg_min(request_id, (ts, ref)) FILTER (booked AND NOT dup),
           arg_min(request_id, (ts, ref)) FILTER (debit_leg),
           arg_min(request_id, (ts, ref))
       ) AS ledger_request,
       coalesce(sum(amount) FILTER (credit_leg AND status = 'POSTED' AND NOT reversed), 0)
           AS posted_credit,
       coalesce(
           bool_or(list_contains($clearing_accounts::VARCHAR[], account_id))
               FILTER (credit_leg),
           false
       ) AS clearing_credit,
       count(*) FILTER (stale_pending) AS stale_pending_n,
       sum(amount) FILTER (stale_pending AND direction = 'D') AS pending_debit,
       min(ts) FILTER (stale_pending AND direction = 'D') AS pending_debit_at,
       arg_min(ref, (ts, ref)) FILTER (stale_pending) AS pending_entry,
       sum(amount) FILTER (stale_pending AND direction = 'C') AS pending_credit
FROM legs
GROUP BY txn_ref;

-- A channel request with no txn_ref joins the transfer its ledger legs name (above).
CREATE OR REPLACE TABLE _fb_channel_txn AS
SELECT coalesce(c.txn_ref, rt.txn_ref) AS txn_ref,
       min(c.requested_at) AS first_request_at,
       arg_min(c.request_id, (c.requested_at, c.request_id)) AS channel_request,
       arg_min(c.debit_account, (c.requested_at, c.request_id)) AS request_account,
       arg_min(c.currency, (c.requested_at, c.request_id)) AS request_currency
FROM channel AS c
LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
WHERE coalesce(c.txn_ref, rt.txn_ref) IS NOT NULL
GROUP BY coalesce(c.txn_ref, rt.txn_ref);

-- The payment is the first SUCCESS record; REFUNDED records are never an attempt.
CREATE OR REPLACE TABLE _fb_gateway_txn AS
SELECT txn_ref,
       min(gateway_at) AS first_gateway_at,
       count(*) AS gateway_n,
       count(*) FILTER (status = 'SUCCESS') AS success_n,
       arg_min(amount, (gateway_at, gateway_ref)) FILTER (status = 'SUCCESS') AS paid_amount,
       arg_min(gateway_ref, (gateway_at, gateway_ref)) FILTER (status = 'SUCCESS')
           AS paid_ref,
       arg_min(coalesce(invoice_required, true), (gateway_at, gateway_ref))
           FILTER (status = 'SUCCESS') AS paid_invoice_required,
       arg_max(amount, (gateway_at, gateway_ref)) FILTER (status <> 'REFUNDED')
           AS attempted_amount,
       arg_min(currency, (gateway_at, gateway_ref)) AS gateway_currency
FROM gateway
GROUP BY txn_ref;

CREATE OR REPLACE TABLE _fb_invoice_txn AS
SELECT txn_ref,
       min(issued_at) AS first_invoice_at,
       count(*) FILTER (status = 'ISSUED') AS issued_n,
       arg_min(amount, (issued_at, invoice_id)) FILTER (status = 'ISSUED') AS invoice_amount,
       arg_min(invoice_id, (issued_at, invoice_id)) FILTER (status = 'ISSUED') AS invoice_id
FROM invoices
GROUP BY txn_ref;

CREATE OR REPLACE TABLE _fb_txn AS
WITH joined AS (
    SELECT *,
           least(first_ledger_at, first_request_at, first_gateway_at, first_invoice_at)
               AS first_at
    FROM _fb_ledger_txn
    FULL JOIN _fb_channel_txn USING (txn_ref)
    FULL JOIN _fb_gateway_txn USING (txn_ref)
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
       debit_at,
       debit_entry,
       first_debit_at,
       coalesce(debit_reversed, false) AS debit_reversed,
       coalesce(debit_account, request_account) AS account_id,
       coalesce(ledger_currency, gateway_currency, request_currency) AS currency,
       ledger_request,
       coalesce(posted_credit, 0) AS posted_credit,
       coalesce(clearing_credit, false) AS clearing_credit,
       coalesce(stale_pending_n, 0) AS stale_pending_n,
       pending_debit,
       pending_debit_at,
       pending_entry,
       pending_credit,
       channel_request,
       coalesce(gateway_n, 0) AS gateway_n,
       coalesce(success_n, 0) AS success_n,
       paid_amount,
       paid_ref,
       coalesce(paid_invoice_required, true) AS invoice_required,
       attempted_amount,
       coalesce(issued_n, 0) AS issued_n,
       invoice_amount,
       invoice_id
FROM joined;

-- the per-source facts live on in _fb_txn: free their memory before the checks run
DROP TABLE _fb_ledger_txn;
DROP TABLE _fb_channel_txn;
DROP TABLE _fb_gateway_txn;
DROP TABLE _fb_invoice_txn;

CREATE OR REPLACE TABLE evaluated_txn_refs AS
SELECT txn_ref
FROM _fb_txn
WHERE NOT in_flight;

-- Every finding is staged here with what the final step needs to name the customer
-- (`request_id`, else `alt_request_id`, else the account's customer), to pay interest on
-- `comp_basis` held since `comp_from` (plus `comp_fee`), and its own evidence items.
CREATE OR REPLACE TABLE _fb_found (
    finding_key VARCHAR,
    type VARCHAR,
    subtype VARCHAR,
    txn_ref VARCHAR,
    related_txn_ref VARCHAR,
    request_id VARCHAR,
    alt_request_id VARCHAR,
    account_id VARCHAR,
    amount DECIMAL(18, 2),
    currency VARCHAR,
    proposed_action VARCHAR,
    event_at TIMESTAMPTZ,
    comp_basis DECIMAL(18, 2),
    comp_from TIMESTAMPTZ,
    comp_fee DECIMAL(18, 2),
    evidence VARCHAR[]
);
