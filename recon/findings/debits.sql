-- Booked debits: the money a customer has actually lost from their account.
-- A posting is reversed when a later POSTED posting of the opposite direction and the same
-- amount and currency names it in `reversal_of` (ingest quarantines one naming a posting it
-- does not mirror: recon/ingest/reversals.sql); a reversed debit is settled. Reversal
-- postings themselves are never legs.

CREATE OR REPLACE TABLE _fb_reversed AS
SELECT DISTINCT r.reversal_of AS entry_id
FROM ledger AS r
JOIN ledger AS o ON o.entry_id = r.reversal_of
WHERE r.status = 'POSTED'
  AND r.direction <> o.direction
  AND r.amount = o.amount
  AND r.currency = o.currency
  AND r.posted_at >= o.posted_at;

-- Each booked debit with the channel request behind it: through its own request_id, else
-- (next statement) the first request that carries its txn_ref. The idempotency key counts
-- only through the debit's own request_id: a txn_ref fallback could tie unrelated legs.
-- `told_elsewhere`: the debit's own request was told FAILED or TIMEOUT, or SUCCESS under no
-- or another txn_ref; only such debits are looked at again once duplicates are found
-- (half_completed.sql), so duplicates.sql keeps just these, the duplicates and their
-- originals, and the transfer checks run without the full table in memory.
CREATE OR REPLACE TABLE _fb_booked AS
SELECT l.entry_id, l.txn_ref, l.account_id, l.amount, l.currency, l.posted_at, l.request_id,
       c.request_id IS NOT NULL AS has_request,
       c.idempotency_key,
       c.credit_account AS payee,
       c.status AS told,
       coalesce(
           c.status IN ('FAILED', 'TIMEOUT')
               OR (c.status = 'SUCCESS' AND c.txn_ref IS DISTINCT FROM l.txn_ref),
           false
       ) AS told_elsewhere
FROM ledger AS l
LEFT JOIN channel AS c ON c.request_id = l.request_id
WHERE l.direction = 'D'
  AND l.status = 'POSTED'
  AND l.reversal_of IS NULL
  AND l.entry_id NOT IN (SELECT entry_id FROM _fb_reversed);

-- Debits without a request of their own (few): the first request of their txn_ref.
UPDATE _fb_booked AS b
SET payee = f.request.payee, told = f.request.told
FROM (
    SELECT c.txn_ref,
           arg_min(
               {'payee': c.credit_account, 'told': c.status}, (c.requested_at, c.request_id)
           ) AS request
    FROM channel AS c
    WHERE c.txn_ref IN (SELECT txn_ref FROM _fb_booked WHERE NOT has_request)
    GROUP BY c.txn_ref
) AS f
WHERE NOT b.has_request AND b.txn_ref = f.txn_ref;
