-- HALF_COMPLETED findings. Debits counted as duplicates are already out of `booked_n` and
-- `booked_debit`; "no booked debit" checks use `booked_all_n`, because a transfer whose only
-- debit is a duplicate did take the customer's money (the duplicate finding covers it).
-- A debit earns interest once: DEBIT_WITHOUT_CREDIT carries it on the part no credit covers,
-- BOOKED_GATEWAY_FAILED on the rest (the part credited, which the failed gateway never paid
-- out either: all of a 7300.00 debit with 3650.00 credited is held, 3650.00 on each),
-- STUCK_PENDING only for a pending debit (a pending credit under a booked debit is
-- DEBIT_WITHOUT_CREDIT's money).
-- Columns: finding_key, type, subtype, txn_ref, related_txn_ref, request_id, account_id,
-- amount, currency, proposed_action, event_at, comp_basis, comp_from, comp_fee, evidence, tie,
-- tie_no.

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|DEBIT_WITHOUT_CREDIT|' || txn_ref, 'HALF_COMPLETED',
       'DEBIT_WITHOUT_CREDIT', txn_ref, NULL, NULL, NULL, booked_debit - posted_credit, NULL,
       'POST_CREDIT_OR_REVERSE', NULL, booked_debit - posted_credit, NULL, NULL, ['@debit'],
       NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND booked_n > 0 AND booked_debit > posted_credit;

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|STUCK_PENDING|' || txn_ref, 'HALF_COMPLETED', 'STUCK_PENDING', txn_ref,
       NULL, NULL, NULL, coalesce(pending_debit, pending_credit), NULL, 'INVESTIGATE', NULL,
       pending_debit, NULL, NULL, ['@pending'], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND stale_pending_n > 0;

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|BOOKED_GATEWAY_FAILED|' || txn_ref, 'HALF_COMPLETED',
       'BOOKED_GATEWAY_FAILED', txn_ref, NULL, NULL, NULL, booked_debit, NULL, 'REVERSE_DEBIT',
       NULL,
       CASE WHEN booked_debit <= posted_credit THEN booked_debit
            WHEN posted_credit > 0 THEN posted_credit END,
       NULL,
       NULL, ['@debit'], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND booked_n > 0 AND success_n = 0 AND (clearing_credit OR gateway_n > 0);

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|GATEWAY_NOT_BOOKED|' || txn_ref, 'HALF_COMPLETED', 'GATEWAY_NOT_BOOKED',
       txn_ref, NULL, NULL, NULL, paid_amount, NULL, 'POST_ENTRIES', NULL, NULL, NULL, NULL,
       ['@payment'], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND success_n > 0 AND booked_all_n = 0;
