-- Duplicate debits (CONTRACT.md section 4). They run first: a debit listed in `_fb_dup` is
-- left out of every HALF_COMPLETED check. `original` is the debit it repeats.

-- SAME_REQUEST: more than one booked debit for one request_id, one idempotency key, or one
-- debit leg (account, amount) of one txn_ref. The first by (posted_at, entry_id) is the
-- original of its group; every other member is an extra. Groups are counted first and the
-- ordered pick runs over the few repeated ones only (picking for every group cost 1 s at 1M).
CREATE OR REPLACE TABLE _fb_dup AS
WITH by_request AS (
    SELECT request_id, arg_min(entry_id, (posted_at, entry_id)) AS original
    FROM _fb_booked
    WHERE request_id IN (
        SELECT request_id FROM _fb_booked GROUP BY request_id HAVING count(*) > 1
    )
    GROUP BY request_id
),
by_key AS (
    SELECT idempotency_key, arg_min(entry_id, (posted_at, entry_id)) AS original
    FROM _fb_booked
    WHERE idempotency_key IN (
        SELECT idempotency_key FROM _fb_booked GROUP BY idempotency_key HAVING count(*) > 1
    )
    GROUP BY idempotency_key
),
by_leg AS (
    SELECT txn_ref, account_id, amount, arg_min(entry_id, (posted_at, entry_id)) AS original
    FROM _fb_booked
    SEMI JOIN (
        SELECT txn_ref, account_id, amount
        FROM _fb_booked
        GROUP BY txn_ref, account_id, amount
        HAVING count(*) > 1
    ) USING (txn_ref, account_id, amount)
    GROUP BY txn_ref, account_id, amount
),
linked AS (
    SELECT b.entry_id,
           coalesce(
               CASE WHEN r.original <> b.entry_id THEN r.original END,
               CASE WHEN k.original <> b.entry_id THEN k.original END,
               CASE WHEN g.original <> b.entry_id THEN g.original END
           ) AS original
    FROM _fb_booked AS b
    LEFT JOIN by_request AS r ON r.request_id = b.request_id
    LEFT JOIN by_key AS k ON k.idempotency_key = b.idempotency_key
    LEFT JOIN by_leg AS g
        ON g.txn_ref = b.txn_ref AND g.account_id = b.account_id AND g.amount = b.amount
)
SELECT entry_id, 'SAME_REQUEST' AS subtype, original
FROM linked
WHERE original IS NOT NULL;

-- SUSPECTED_RETRY: two booked debits not linked by request_id or idempotency key, same debit
-- account, payee and amount, the later within the window (inclusive) of the earlier, and the
-- customer told the earlier one did not succeed. Equal times are ordered by entry_id.
INSERT INTO _fb_dup
WITH single AS (
    SELECT b.*
    FROM _fb_booked AS b
    ANTI JOIN _fb_dup AS d ON d.entry_id = b.entry_id
    WHERE b.payee IS NOT NULL
)
SELECT later.entry_id,
       'SUSPECTED_RETRY' AS subtype,
       arg_min(earlier.entry_id, (earlier.posted_at, earlier.entry_id)) AS original
FROM single AS later
JOIN single AS earlier
    ON earlier.account_id = later.account_id
    AND earlier.payee = later.payee
    AND earlier.amount = later.amount
    AND earlier.currency = later.currency
    AND earlier.posted_at >= later.posted_at - to_minutes($duplicate_window_minutes)
    AND earlier.posted_at <= later.posted_at
WHERE (earlier.posted_at < later.posted_at OR earlier.entry_id < later.entry_id)
  AND earlier.told IS NOT NULL
  AND earlier.told <> 'SUCCESS'
  AND NOT coalesce(earlier.request_id = later.request_id, false)
  AND NOT coalesce(earlier.idempotency_key = later.idempotency_key, false)
GROUP BY later.entry_id;

-- GATEWAY_DOUBLE_CHARGE: more than one SUCCESS record for a txn_ref; the first by
-- (gateway_at, gateway_ref) is the payment, every other one an extra charge. As above, the
-- ordered pick runs over the txn_refs with more than one SUCCESS record only.
CREATE OR REPLACE TABLE _fb_double AS
WITH originals AS (
    SELECT txn_ref, arg_min(gateway_ref, (gateway_at, gateway_ref)) AS original
    FROM gateway
    WHERE status = 'SUCCESS'
      AND txn_ref IN (
          SELECT txn_ref FROM gateway WHERE status = 'SUCCESS'
          GROUP BY txn_ref HAVING count(*) > 1
      )
    GROUP BY txn_ref
)
SELECT g.gateway_ref, g.txn_ref, g.amount, g.currency, g.fee, g.gateway_at, o.original
FROM gateway AS g
JOIN originals AS o ON o.txn_ref = g.txn_ref
WHERE g.status = 'SUCCESS' AND g.gateway_ref <> o.original;

-- From here on only the duplicates, their originals and the debits whose request was told
-- otherwise are looked up (duplicate_findings.sql, half_completed.sql): keep just those, so
-- the per-transfer aggregates that follow have the memory.
CREATE OR REPLACE TABLE _fb_booked AS
SELECT *
FROM _fb_booked
WHERE told_elsewhere
   OR entry_id IN (SELECT entry_id FROM _fb_dup)
   OR entry_id IN (SELECT original FROM _fb_dup);
