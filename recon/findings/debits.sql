-- Booked debits: the money a customer has actually lost from their account.
-- A posting is reversed when a later POSTED posting of the opposite direction names it in
-- `reversal_of`; a reversed debit is settled. Reversal postings themselves are never legs.

CREATE OR REPLACE TABLE _fb_reversed AS
SELECT DISTINCT r.reversal_of AS entry_id
FROM ledger AS r
JOIN ledger AS o ON o.entry_id = r.reversal_of
WHERE r.status = 'POSTED'
  AND r.direction <> o.direction
  AND r.posted_at >= o.posted_at;

-- Each booked debit with the channel request behind it: through its own request_id, else
-- the first request that carries its txn_ref. The idempotency key counts only through the
-- debit's own request_id (a txn_ref fallback could tie unrelated legs together).
CREATE OR REPLACE TABLE _fb_booked AS
WITH debits AS (
    SELECT l.entry_id, l.txn_ref, l.account_id, l.amount, l.currency, l.posted_at, l.request_id
    FROM ledger AS l
    ANTI JOIN _fb_reversed AS rv ON rv.entry_id = l.entry_id
    WHERE l.direction = 'D' AND l.status = 'POSTED' AND l.reversal_of IS NULL
),
own AS (
    SELECT d.*, c.request_id AS own_request, c.idempotency_key, c.credit_account, c.status
    FROM debits AS d
    LEFT JOIN channel AS c ON c.request_id = d.request_id
),
by_txn AS (
    SELECT c.txn_ref, arg_min(c.request_id, (c.requested_at, c.request_id)) AS request_id
    FROM channel AS c
    WHERE c.txn_ref IN (SELECT txn_ref FROM own WHERE own_request IS NULL)
    GROUP BY c.txn_ref
)
SELECT o.entry_id, o.txn_ref, o.account_id, o.amount, o.currency, o.posted_at, o.request_id,
       o.idempotency_key,
       coalesce(o.credit_account, fc.credit_account) AS payee,
       coalesce(o.status, fc.status) AS told
FROM own AS o
LEFT JOIN by_txn AS t ON o.own_request IS NULL AND t.txn_ref = o.txn_ref
LEFT JOIN channel AS fc ON fc.request_id = t.request_id;
