-- DUPLICATE_DEBIT findings, one per extra debit or extra gateway charge, on the extra's own
-- txn_ref. The extra money is what the customer is owed interest on.
-- `tie_no` (transfers.sql) counts the extract's rows before the extra at its instant, its
-- original left out; those rows are read for the extras' own txn_refs only.

-- the extra debits' peers: the ledger's debit rows at an extra's instant, account and amount
-- with a smaller entry_id, whatever their status (a reversed one still counts)
CREATE OR REPLACE TABLE _fb_dup_no AS
WITH extra AS (
    SELECT d.entry_id, d.original, x.txn_ref, x.account_id, x.amount, x.posted_at
    FROM _fb_dup AS d
    JOIN _fb_booked AS x ON x.entry_id = d.entry_id
)
SELECT e.entry_id, 1 + count(l.entry_id) AS tie_no
FROM extra AS e
LEFT JOIN (
    SELECT l.entry_id, l.txn_ref, l.account_id, l.amount, l.posted_at
    FROM ledger AS l
    -- the extras' transfers' rows by txn_ref (a scan of one column), then read whole by rowid
    JOIN (
        SELECT rowid AS row_id FROM ledger WHERE txn_ref IN (SELECT txn_ref FROM extra)
    ) AS k
        ON l.rowid = k.row_id
    WHERE l.direction = 'D'
) AS l
    ON l.txn_ref = e.txn_ref
    AND l.posted_at = e.posted_at
    AND l.account_id = e.account_id
    AND l.amount = e.amount
    AND l.entry_id < e.entry_id
    AND l.entry_id <> e.original
GROUP BY e.entry_id;

INSERT INTO _fb_found
SELECT 'DUPLICATE_DEBIT|' || d.subtype || '|' || x.txn_ref || '|ledger@'
           || recon_key_time(x.posted_at) AS finding_key,
       'DUPLICATE_DEBIT' AS type,
       d.subtype,
       x.txn_ref,
       o.txn_ref AS related_txn_ref,
       x.request_id,
       x.account_id,
       x.amount,
       x.currency,
       CASE d.subtype WHEN 'SAME_REQUEST' THEN 'REVERSE_DEBIT' ELSE 'REVIEW_REFUND' END
           AS proposed_action,
       x.posted_at AS event_at,
       x.amount AS comp_basis,
       x.posted_at AS comp_from,
       NULL AS comp_fee,
       ['ledger:' || d.entry_id, 'ledger:' || d.original] AS evidence,
       d.entry_id AS tie,
       n.tie_no
FROM _fb_dup AS d
JOIN _fb_booked AS x ON x.entry_id = d.entry_id
JOIN _fb_booked AS o ON o.entry_id = d.original
JOIN _fb_dup_no AS n ON n.entry_id = d.entry_id
JOIN _fb_txn AS t ON t.txn_ref = x.txn_ref
WHERE NOT t.in_flight;

-- the extra charges' peers: the gateway records at an extra's instant and amount with a
-- smaller gateway_ref, whatever their status (one refunded since still counts)
CREATE OR REPLACE TABLE _fb_double_no AS
SELECT e.gateway_ref, 1 + count(g.gateway_ref) AS tie_no
FROM _fb_double AS e
LEFT JOIN (
    SELECT gateway_ref, txn_ref, amount, gateway_at
    FROM gateway
    WHERE txn_ref IN (SELECT txn_ref FROM _fb_double)
) AS g
    ON g.txn_ref = e.txn_ref
    AND g.gateway_at = e.gateway_at
    AND g.amount = e.amount
    AND g.gateway_ref < e.gateway_ref
    AND g.gateway_ref <> e.original
GROUP BY e.gateway_ref;

-- The extra charge left through the gateway: recall it and refund its fee. Interest runs
-- from the transfer's debit (filled in later), or without one from the charge itself.
INSERT INTO _fb_found
SELECT 'DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|' || g.txn_ref || '|gateway@'
           || recon_key_time(g.gateway_at) AS finding_key,
       'DUPLICATE_DEBIT' AS type,
       'GATEWAY_DOUBLE_CHARGE' AS subtype,
       g.txn_ref,
       NULL AS related_txn_ref,
       NULL AS request_id,
       NULL AS account_id,
       g.amount,
       g.currency,
       'RECALL_PAYMENT' AS proposed_action,
       g.gateway_at AS event_at,
       g.amount AS comp_basis,
       NULL AS comp_from,
       CASE WHEN $refund_gateway_fee THEN g.fee ELSE 0 END AS comp_fee,
       ['gateway:' || g.gateway_ref, 'gateway:' || g.original] AS evidence,
       g.gateway_ref AS tie,
       n.tie_no
FROM _fb_double AS g
JOIN _fb_double_no AS n ON n.gateway_ref = g.gateway_ref
JOIN _fb_txn AS t ON t.txn_ref = g.txn_ref
WHERE NOT t.in_flight;
DROP TABLE _fb_dup_no;
DROP TABLE _fb_double_no;
