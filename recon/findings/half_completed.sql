-- HALF_COMPLETED findings. Debits counted as duplicates are already out of `booked_n` and
-- `booked_debit`; "no booked debit" checks use `booked_all_n`, because a transfer whose only
-- debit is a duplicate did take the customer's money (the duplicate finding covers it).
-- A debit earns interest once: DEBIT_WITHOUT_CREDIT carries it, BOOKED_GATEWAY_FAILED on
-- the same debits only when there is no DEBIT_WITHOUT_CREDIT, STUCK_PENDING only for a
-- pending debit (a pending credit under a booked debit is DEBIT_WITHOUT_CREDIT's money).

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|DEBIT_WITHOUT_CREDIT|' || txn_ref, 'HALF_COMPLETED',
       'DEBIT_WITHOUT_CREDIT', txn_ref, NULL, ledger_request, channel_request, account_id,
       booked_debit - posted_credit, currency, 'POST_CREDIT_OR_REVERSE', debit_at,
       booked_debit - posted_credit, debit_at, NULL, ['ledger:' || debit_entry]
FROM _fb_txn
WHERE NOT in_flight AND booked_n > 0 AND booked_debit > posted_credit;

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|STUCK_PENDING|' || txn_ref, 'HALF_COMPLETED', 'STUCK_PENDING', txn_ref,
       NULL, ledger_request, channel_request, account_id,
       coalesce(pending_debit, pending_credit), currency, 'INVESTIGATE',
       coalesce(debit_at, first_debit_at, first_at),
       pending_debit, pending_debit_at, NULL, ['ledger:' || pending_entry]
FROM _fb_txn
WHERE NOT in_flight AND stale_pending_n > 0;

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|BOOKED_GATEWAY_FAILED|' || txn_ref, 'HALF_COMPLETED',
       'BOOKED_GATEWAY_FAILED', txn_ref, NULL, ledger_request, channel_request, account_id,
       booked_debit, currency, 'REVERSE_DEBIT', debit_at,
       CASE WHEN booked_debit > posted_credit THEN NULL ELSE booked_debit END, debit_at, NULL,
       ['ledger:' || debit_entry]
FROM _fb_txn
WHERE NOT in_flight AND booked_n > 0 AND success_n = 0 AND (clearing_credit OR gateway_n > 0);

INSERT INTO _fb_found
SELECT 'HALF_COMPLETED|GATEWAY_NOT_BOOKED|' || txn_ref, 'HALF_COMPLETED', 'GATEWAY_NOT_BOOKED',
       txn_ref, NULL, ledger_request, channel_request, account_id, paid_amount, currency,
       'POST_ENTRIES', coalesce(first_debit_at, first_at), NULL, NULL, NULL,
       ['gateway:' || paid_ref]
FROM _fb_txn
WHERE NOT in_flight AND success_n > 0 AND booked_all_n = 0;

-- What the customer was told, per request. A request's debits are those naming it through
-- request_id, else those of its txn_ref.
INSERT INTO _fb_found
WITH by_request AS (
    SELECT b.request_id,
           count(*) AS all_n,
           count(*) FILTER (d.entry_id IS NULL) AS booked_n,
           sum(b.amount) FILTER (d.entry_id IS NULL) AS booked_debit,
           arg_min(b.txn_ref, (b.posted_at, b.entry_id)) FILTER (d.entry_id IS NULL) AS txn_ref,
           arg_min(b.entry_id, (b.posted_at, b.entry_id)) FILTER (d.entry_id IS NULL) AS entry_id,
           arg_min(b.account_id, (b.posted_at, b.entry_id)) FILTER (d.entry_id IS NULL)
               AS account_id,
           min(b.posted_at) FILTER (d.entry_id IS NULL) AS debit_at
    FROM _fb_booked AS b
    LEFT JOIN _fb_dup AS d ON d.entry_id = b.entry_id
    WHERE b.request_id IS NOT NULL
    GROUP BY b.request_id
),
told AS (
    SELECT c.request_id, c.status, c.amount, c.currency, c.requested_at, c.debit_account,
           coalesce(r.txn_ref, c.txn_ref) AS txn_ref,
           coalesce(r.all_n, 0) AS all_n, coalesce(r.booked_n, 0) AS booked_n,
           r.booked_debit, r.entry_id, r.account_id, r.debit_at
    FROM channel AS c
    LEFT JOIN by_request AS r ON r.request_id = c.request_id
    WHERE c.status IN ('SUCCESS', 'FAILED', 'TIMEOUT')
)
SELECT CASE WHEN k.status = 'SUCCESS' THEN 'HALF_COMPLETED|CHANNEL_SUCCESS_NOT_BOOKED|channel:'
            ELSE 'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|channel:' END || k.request_id,
       'HALF_COMPLETED',
       CASE WHEN k.status = 'SUCCESS' THEN 'CHANNEL_SUCCESS_NOT_BOOKED'
            ELSE 'CHANNEL_FAILED_BUT_BOOKED' END,
       k.txn_ref, NULL, k.request_id, NULL,
       coalesce(k.account_id, t.account_id, k.debit_account),
       CASE WHEN k.status = 'SUCCESS' THEN k.amount
            WHEN k.booked_n > 0 THEN k.booked_debit
            ELSE t.booked_debit END,
       coalesce(t.currency, k.currency),
       CASE WHEN k.status = 'SUCCESS' THEN 'POST_ENTRIES' ELSE 'NOTIFY_CUSTOMER' END,
       coalesce(k.debit_at, t.debit_at, k.requested_at),
       NULL, NULL, NULL,
       CASE WHEN k.entry_id IS NULL THEN ['channel:' || k.request_id]
            ELSE ['channel:' || k.request_id, 'ledger:' || k.entry_id] END
FROM told AS k
LEFT JOIN _fb_txn AS t ON t.txn_ref = k.txn_ref
WHERE NOT coalesce(
          t.in_flight,
          k.requested_at >= $cutoff::TIMESTAMPTZ - to_minutes($grace_minutes)
      )
  AND CASE WHEN k.status = 'SUCCESS' THEN k.all_n = 0 AND coalesce(t.booked_all_n, 0) = 0
           ELSE k.booked_n > 0 OR (k.all_n = 0 AND coalesce(t.booked_n, 0) > 0) END;
