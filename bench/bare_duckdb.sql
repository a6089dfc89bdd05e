-- The bare baseline: the main checks of CONTRACT.md section 4 as one hand-written DuckDB
-- script over the Parquet extracts, with none of recon's validation, quarantine, evidence,
-- store or reports. It answers "how fast could a plain query be?" for bench/end_to_end.py.
-- Parameters: $ledger, $channel, $gateway, $invoices (file lists), $cutoff, $grace, $sla,
-- $window (minutes), $clearing (account list). Result: table `bare_findings`.

CREATE TEMP TABLE l AS SELECT DISTINCT * FROM read_parquet($ledger, union_by_name = true);
CREATE TEMP TABLE c AS
SELECT DISTINCT request_id, idempotency_key, channel, customer_id, debit_account, credit_account,
    amount, currency, requested_at, status, error_code, txn_ref
FROM read_parquet($channel, union_by_name = true);
CREATE TEMP TABLE g AS SELECT DISTINCT * FROM read_parquet($gateway, union_by_name = true);
CREATE TEMP TABLE i AS SELECT DISTINCT * FROM read_parquet($invoices, union_by_name = true);

-- transfers not in flight: first record more than `grace` before the cutoff
CREATE TEMP TABLE live AS
SELECT txn_ref FROM (
    SELECT txn_ref, posted_at AS ts FROM l
    UNION ALL SELECT txn_ref, requested_at FROM c WHERE txn_ref IS NOT NULL
    UNION ALL SELECT txn_ref, gateway_at FROM g
    UNION ALL SELECT txn_ref, issued_at FROM i
)
GROUP BY txn_ref
HAVING min(ts) < $cutoff::TIMESTAMPTZ - to_minutes($grace::INTEGER);

CREATE TEMP TABLE reversed AS SELECT DISTINCT reversal_of AS entry_id FROM l WHERE reversal_of IS NOT NULL AND status = 'POSTED';

CREATE TEMP TABLE booked AS
SELECT l.entry_id, l.txn_ref, l.account_id, l.amount, l.posted_at, l.request_id,
    c.idempotency_key, c.credit_account AS payee, c.status AS ch_status
FROM l
JOIN live USING (txn_ref)
LEFT JOIN c ON c.request_id = l.request_id
WHERE l.direction = 'D' AND l.status = 'POSTED'
  AND l.entry_id NOT IN (SELECT entry_id FROM reversed);

CREATE TEMP TABLE same_request AS
SELECT entry_id, txn_ref FROM (
    SELECT entry_id, txn_ref, row_number() OVER (PARTITION BY request_id ORDER BY posted_at, entry_id) AS rn
    FROM booked WHERE request_id IS NOT NULL
) WHERE rn > 1
UNION
SELECT entry_id, txn_ref FROM (
    SELECT entry_id, txn_ref, row_number() OVER (PARTITION BY idempotency_key ORDER BY posted_at, entry_id) AS rn
    FROM booked WHERE idempotency_key IS NOT NULL
) WHERE rn > 1
UNION
SELECT entry_id, txn_ref FROM (
    SELECT entry_id, txn_ref,
        row_number() OVER (PARTITION BY txn_ref, account_id, amount ORDER BY posted_at, entry_id) AS rn
    FROM booked
) WHERE rn > 1;

CREATE TEMP TABLE retry AS
SELECT DISTINCT b.entry_id, b.txn_ref
FROM booked a
JOIN booked b
  ON a.account_id = b.account_id AND a.payee = b.payee AND a.amount = b.amount
 AND (a.posted_at < b.posted_at OR (a.posted_at = b.posted_at AND a.entry_id < b.entry_id))
 AND b.posted_at <= a.posted_at + to_minutes($window::INTEGER)
WHERE a.request_id IS DISTINCT FROM b.request_id
  AND (a.idempotency_key IS NULL OR b.idempotency_key IS NULL OR a.idempotency_key <> b.idempotency_key)
  AND coalesce(a.ch_status, '') <> 'SUCCESS'
  AND b.entry_id NOT IN (SELECT entry_id FROM same_request);

CREATE TEMP TABLE counted AS
SELECT * FROM booked
WHERE entry_id NOT IN (SELECT entry_id FROM same_request)
  AND entry_id NOT IN (SELECT entry_id FROM retry);

CREATE TEMP TABLE debits AS
SELECT txn_ref, sum(amount) AS debit, min(amount) AS amount FROM counted GROUP BY txn_ref;

CREATE TEMP TABLE credits AS
SELECT txn_ref, sum(amount) AS credit FROM l
WHERE direction = 'C' AND status = 'POSTED' AND reversal_of IS NULL
  AND entry_id NOT IN (SELECT entry_id FROM reversed)
GROUP BY txn_ref;

CREATE TEMP TABLE gw AS
SELECT txn_ref, bool_or(status = 'SUCCESS') AS success,
    arg_min(amount, (gateway_at, gateway_ref)) FILTER (WHERE status = 'SUCCESS') AS paid,
    coalesce(bool_and(coalesce(invoice_required, true)) FILTER (WHERE status = 'SUCCESS'), true)
        AS invoice_required
FROM g JOIN live USING (txn_ref)
GROUP BY txn_ref;

CREATE TEMP TABLE external AS
SELECT DISTINCT txn_ref FROM l WHERE direction = 'C' AND list_contains($clearing, account_id)
UNION SELECT txn_ref FROM g;

CREATE TEMP TABLE issued AS
SELECT invoice_id, txn_ref, amount,
    row_number() OVER (PARTITION BY txn_ref ORDER BY issued_at, invoice_id) AS rn
FROM i JOIN live USING (txn_ref)
WHERE status = 'ISSUED';

CREATE TEMP TABLE bare_findings AS
SELECT 'DUPLICATE_DEBIT' AS type, 'SAME_REQUEST' AS subtype, txn_ref FROM same_request
UNION ALL SELECT 'DUPLICATE_DEBIT', 'SUSPECTED_RETRY', txn_ref FROM retry
UNION ALL
SELECT 'DUPLICATE_DEBIT', 'GATEWAY_DOUBLE_CHARGE', txn_ref FROM (
    SELECT txn_ref, row_number() OVER (PARTITION BY txn_ref ORDER BY gateway_at, gateway_ref) AS rn
    FROM g JOIN live USING (txn_ref) WHERE status = 'SUCCESS'
) WHERE rn > 1
UNION ALL
SELECT 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', d.txn_ref
FROM debits d LEFT JOIN credits cr USING (txn_ref) WHERE d.debit > coalesce(cr.credit, 0)
UNION ALL
SELECT DISTINCT 'HALF_COMPLETED', 'STUCK_PENDING', txn_ref
FROM l JOIN live USING (txn_ref)
WHERE status = 'PENDING' AND posted_at < $cutoff::TIMESTAMPTZ - to_minutes($sla::INTEGER)
UNION ALL
SELECT 'HALF_COMPLETED', 'BOOKED_GATEWAY_FAILED', d.txn_ref
FROM debits d JOIN external e USING (txn_ref) LEFT JOIN gw USING (txn_ref)
WHERE NOT coalesce(gw.success, false)
UNION ALL
SELECT 'HALF_COMPLETED', 'GATEWAY_NOT_BOOKED', txn_ref FROM gw
WHERE success AND txn_ref NOT IN (SELECT txn_ref FROM booked)
UNION ALL
SELECT 'HALF_COMPLETED', 'CHANNEL_SUCCESS_NOT_BOOKED', c.txn_ref
FROM c JOIN live USING (txn_ref)
WHERE c.status = 'SUCCESS' AND c.txn_ref NOT IN (SELECT txn_ref FROM booked)
UNION ALL
SELECT DISTINCT 'HALF_COMPLETED', 'CHANNEL_FAILED_BUT_BOOKED', k.txn_ref
FROM c JOIN counted k ON k.request_id = c.request_id
WHERE c.status IN ('FAILED', 'TIMEOUT')
UNION ALL
SELECT 'AMOUNT_MISMATCH', 'LEDGER_GATEWAY', d.txn_ref
FROM debits d JOIN gw USING (txn_ref) WHERE gw.success AND d.amount <> gw.paid
UNION ALL
SELECT 'INVOICE', 'MISSING', gw.txn_ref
FROM gw JOIN debits d USING (txn_ref)
WHERE gw.success AND gw.invoice_required AND gw.txn_ref NOT IN (SELECT txn_ref FROM issued)
UNION ALL
SELECT 'INVOICE', 'AMOUNT_MISMATCH', s.txn_ref
FROM issued s JOIN gw USING (txn_ref) WHERE gw.success AND s.amount <> gw.paid
UNION ALL
SELECT 'INVOICE', 'ON_FAILED_PAYMENT', s.txn_ref
FROM issued s LEFT JOIN gw USING (txn_ref)
WHERE NOT coalesce(gw.success, false)
   OR s.txn_ref IN (SELECT l.txn_ref FROM l JOIN reversed USING (entry_id) WHERE l.direction = 'D')
UNION ALL
SELECT 'INVOICE', 'DUPLICATE', txn_ref FROM issued WHERE rn > 1;
