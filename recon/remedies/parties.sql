-- The other side of each open exception's transfer, from the working source tables:
-- its credit-leg account (a POSTED leg first) and the payee the customer asked for.
CREATE OR REPLACE TEMP TABLE _rm_parties AS
WITH refs AS (
    SELECT DISTINCT txn_ref FROM exceptions WHERE txn_ref IS NOT NULL
),
legs AS (
    SELECT txn_ref,
           arg_min(account_id, (status <> 'POSTED', posted_at, entry_id)) AS credit_account
    FROM ledger
    WHERE direction = 'C' AND reversal_of IS NULL AND txn_ref IN (SELECT txn_ref FROM refs)
    GROUP BY txn_ref
),
payees AS (
    SELECT txn_ref, arg_min(credit_account, (requested_at, request_id)) AS payee
    FROM channel
    WHERE credit_account IS NOT NULL AND txn_ref IN (SELECT txn_ref FROM refs)
    GROUP BY txn_ref
)
SELECT r.txn_ref, l.credit_account, p.payee
FROM refs AS r
LEFT JOIN legs AS l ON l.txn_ref = r.txn_ref
LEFT JOIN payees AS p ON p.txn_ref = r.txn_ref;
