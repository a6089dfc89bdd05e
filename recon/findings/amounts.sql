-- AMOUNT_MISMATCH: the booked debit and the SUCCESS payment (the first SUCCESS record)
-- differ. A transfer whose only debits are duplicates compares those debits.

INSERT INTO _fb_found
WITH compared AS (
    SELECT txn_ref, paid_amount,
           CASE WHEN booked_n > 0 THEN booked_debit ELSE booked_all_debit END AS ledger_amount
    FROM _fb_txn
    WHERE NOT in_flight AND booked_all_n > 0 AND success_n > 0
)
SELECT 'AMOUNT_MISMATCH|LEDGER_GATEWAY|' || txn_ref, 'AMOUNT_MISMATCH', 'LEDGER_GATEWAY',
       txn_ref, NULL, NULL, NULL, abs(ledger_amount - paid_amount), NULL, 'INVESTIGATE', NULL,
       NULL, NULL, NULL, ['@debit', '@payment'], NULL, NULL
FROM compared
WHERE ledger_amount <> paid_amount;
