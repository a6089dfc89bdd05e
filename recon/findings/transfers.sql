-- One row of facts per transfer (txn_ref): a single GROUP BY over the rows of all four
-- sources with conditional aggregates, so the half-completed, amount and invoice checks are
-- plain filters over this table. "booked" = a POSTED debit leg no later posting reverses;
-- the `_all` figures include debits counted as duplicates, the others leave them out.

-- A request told TIMEOUT or FAILED may carry no txn_ref although the core posted it: it
-- belongs to the transfer its ledger legs name through request_id.
CREATE OR REPLACE TABLE _fb_request_txn AS
SELECT c.request_id, min(l.txn_ref) AS txn_ref
FROM channel AS c
JOIN ledger AS l ON l.request_id = c.request_id
WHERE c.txn_ref IS NULL
GROUP BY c.request_id;

CREATE OR REPLACE TABLE _fb_txn AS
WITH source_rows AS (
    SELECT 'ledger' AS src, l.txn_ref, l.posted_at AS ts, l.entry_id AS ref, l.account_id,
           l.direction, l.status, l.amount, l.currency, l.request_id,
           l.reversal_of IS NOT NULL AS is_reversal,
           rv.entry_id IS NOT NULL AS reversed,
           d.entry_id IS NOT NULL AS dup
    FROM ledger AS l
    LEFT JOIN _fb_reversed AS rv ON rv.entry_id = l.entry_id
    LEFT JOIN _fb_dup AS d ON d.entry_id = l.entry_id
    UNION ALL BY NAME
    SELECT 'channel' AS src, coalesce(c.txn_ref, rt.txn_ref) AS txn_ref, c.requested_at AS ts,
           c.request_id AS ref, c.debit_account AS account_id, c.status, c.amount, c.currency,
           c.request_id
    FROM channel AS c
    LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
    WHERE coalesce(c.txn_ref, rt.txn_ref) IS NOT NULL
    UNION ALL BY NAME
    SELECT 'gateway' AS src, g.txn_ref, g.gateway_at AS ts, g.gateway_ref AS ref, g.status,
           g.amount, g.currency, g.fee, coalesce(g.invoice_required, true) AS invoice_required
    FROM gateway AS g
    UNION ALL BY NAME
    SELECT 'invoices' AS src, i.txn_ref, i.issued_at AS ts, i.invoice_id AS ref, i.status,
           i.amount
    FROM invoices AS i
),
flagged AS (
    SELECT *,
           src = 'ledger' AND direction = 'D' AND NOT is_reversal AS debit_leg,
           src = 'ledger' AND direction = 'C' AND NOT is_reversal AS credit_leg,
           src = 'ledger' AND direction = 'D' AND status = 'POSTED' AND NOT is_reversal
               AND NOT reversed AS booked,
           src = 'ledger' AND status = 'PENDING'
               AND ts < $cutoff::TIMESTAMPTZ - to_minutes($pending_sla_minutes) AS stale_pending
    FROM source_rows
)
SELECT txn_ref,
       min(ts) AS first_at,
       min(ts) >= $cutoff::TIMESTAMPTZ - to_minutes($grace_minutes) AS in_flight,
       -- ledger: debits
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
           arg_min(account_id, (ts, ref)) FILTER (debit_leg),
           arg_min(account_id, (ts, ref)) FILTER (src = 'channel')
       ) AS account_id,
       coalesce(
           arg_min(currency, (ts, ref)) FILTER (debit_leg),
           arg_min(currency, (ts, ref)) FILTER (src = 'gateway'),
           arg_min(currency, (ts, ref)) FILTER (src IN ('ledger', 'channel'))
       ) AS currency,
       coalesce(
           arg_min(request_id, (ts, ref)) FILTER (booked AND NOT dup),
           arg_min(request_id, (ts, ref)) FILTER (debit_leg),
           arg_min(request_id, (ts, ref)) FILTER (src = 'ledger')
       ) AS ledger_request,
       -- ledger: credits and pending legs
       coalesce(sum(amount) FILTER (credit_leg AND status = 'POSTED' AND NOT reversed), 0)
           AS posted_credit,
       coalesce(
           bool_or(list_contains($clearing_accounts::VARCHAR[], account_id)) FILTER (credit_leg),
           false
       ) AS clearing_credit,
       count(*) FILTER (stale_pending) AS stale_pending_n,
       sum(amount) FILTER (stale_pending AND direction = 'D') AS pending_debit,
       min(ts) FILTER (stale_pending AND direction = 'D') AS pending_debit_at,
       arg_min(ref, (ts, ref)) FILTER (stale_pending) AS pending_entry,
       sum(amount) FILTER (stale_pending AND direction = 'C') AS pending_credit,
       -- channel
       arg_min(ref, (ts, ref)) FILTER (src = 'channel') AS channel_request,
       -- gateway
       count(*) FILTER (src = 'gateway') AS gateway_n,
       count(*) FILTER (src = 'gateway' AND status = 'SUCCESS') AS success_n,
       arg_min(amount, (ts, ref)) FILTER (src = 'gateway' AND status = 'SUCCESS') AS paid_amount,
       arg_min(ref, (ts, ref)) FILTER (src = 'gateway' AND status = 'SUCCESS') AS paid_ref,
       coalesce(
           arg_min(invoice_required, (ts, ref)) FILTER (src = 'gateway' AND status = 'SUCCESS'),
           true
       ) AS invoice_required,
       arg_max(amount, (ts, ref)) FILTER (src = 'gateway' AND status <> 'REFUNDED')
           AS attempted_amount,
       -- invoices
       count(*) FILTER (src = 'invoices' AND status = 'ISSUED') AS issued_n,
       arg_min(amount, (ts, ref)) FILTER (src = 'invoices' AND status = 'ISSUED')
           AS invoice_amount,
       arg_min(ref, (ts, ref)) FILTER (src = 'invoices' AND status = 'ISSUED') AS invoice_id
FROM flagged
WHERE txn_ref IS NOT NULL
GROUP BY txn_ref;

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
