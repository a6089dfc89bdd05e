-- HALF_COMPLETED findings about channel requests (CHANNEL_FAILED_BUT_BOOKED,
-- CHANNEL_SUCCESS_NOT_BOOKED). Kept apart from half_completed.sql because a request and the
-- debit behind it may name different transfers: this check needs every transfer's facts
-- (`_fb_txn`) at once, so a partitioned run makes it after its buckets (partition.py).
-- Columns: finding_key, type, subtype, txn_ref, related_txn_ref, request_id, account_id,
-- amount, currency, proposed_action, event_at, comp_basis, comp_from, comp_fee, evidence, tie,
-- tie_no.

-- The finding key names the transfer the finding is about (`finding_txn`: the txn_ref of the
-- request's booked debit, else the request's own txn_ref), the request's instant and its
-- debit account; never the request's own txn_ref as such: a channel system that fills in a
-- TIMEOUT request's empty txn_ref on a later extract must not turn one finding into a healed
-- one and a new one (CONTRACT.md section 5: the same finding keeps its id; a resolved one stays
-- resolved). Where the request and its debit name the same transfer, as they usually do, the
-- key is the one the request's txn_ref gave. CHANNEL_SUCCESS_NOT_BOOKED has no debit: its
-- transfer is the request's own txn_ref.

-- What the customer was told, per request. A request's debits are those naming it through
-- request_id, else those of its txn_ref. Only requests that can be a finding are looked
-- at: told FAILED or TIMEOUT, or told SUCCESS where the transfer has no booked debit.
INSERT INTO _fb_found
WITH told AS (
    SELECT c.request_id, c.status, c.amount, c.currency, c.requested_at, c.debit_account,
           c.txn_ref
    FROM channel AS c
    WHERE c.status IN ('FAILED', 'TIMEOUT')
       OR (c.status = 'SUCCESS'
           AND (c.txn_ref IS NULL
                OR c.txn_ref IN (SELECT txn_ref FROM _fb_txn WHERE booked_all_n = 0)))
),
by_request AS (
    SELECT b.request_id,
           count(*) AS all_n,
           count(*) FILTER (d.entry_id IS NULL) AS booked_n,
           sum(b.amount) FILTER (d.entry_id IS NULL) AS booked_debit,
           arg_min(
               {'txn_ref': b.txn_ref, 'entry_id': b.entry_id, 'account_id': b.account_id,
                'posted_at': b.posted_at},
               (b.posted_at, b.entry_id)
           ) FILTER (d.entry_id IS NULL) AS debit
    FROM _fb_booked AS b
    LEFT JOIN _fb_dup AS d ON d.entry_id = b.entry_id
    WHERE b.request_id IN (SELECT request_id FROM told)
    GROUP BY b.request_id
),
requests AS (
    SELECT k.*, coalesce(r.debit.txn_ref, k.txn_ref) AS finding_txn,
           coalesce(r.all_n, 0) AS all_n, coalesce(r.booked_n, 0) AS own_booked_n,
           r.booked_debit AS own_booked_debit, r.debit
    FROM told AS k
    LEFT JOIN by_request AS r ON r.request_id = k.request_id
),
flagged AS (
    SELECT q.*, t.booked_debit AS txn_booked_debit
    FROM requests AS q
    LEFT JOIN _fb_txn AS t ON t.txn_ref = q.finding_txn
    WHERE NOT coalesce(
              t.in_flight,
              q.requested_at >= $cutoff::TIMESTAMPTZ - to_minutes($grace_minutes)
          )
      AND CASE WHEN q.status = 'SUCCESS' THEN q.all_n = 0 AND coalesce(t.booked_all_n, 0) = 0
               ELSE q.own_booked_n > 0 OR (q.all_n = 0 AND coalesce(t.booked_n, 0) > 0) END
),
-- `tie_no` (transfers.sql): 1 + the requests with what the key holds (txn_ref, instant,
-- debit account) and a smaller request_id, whatever they were told
numbered AS (
    SELECT f.request_id, 1 + count(c.request_id) AS tie_no
    FROM flagged AS f
    LEFT JOIN (
        -- a request's transfer as the key names it: its own txn_ref, else its ledger legs'
        SELECT c.request_id, c.requested_at, c.debit_account,
               coalesce(c.txn_ref, rt.txn_ref) AS key_txn
        FROM channel AS c
        LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
        WHERE c.requested_at IN (SELECT requested_at FROM flagged)
    ) AS c
        ON c.requested_at = f.requested_at
        AND coalesce(c.key_txn, '') = coalesce(f.finding_txn, '')
        AND coalesce(c.debit_account, '') = coalesce(f.debit_account, '')
        AND c.request_id < f.request_id
    GROUP BY f.request_id
)
SELECT CASE WHEN q.status = 'SUCCESS' THEN 'HALF_COMPLETED|CHANNEL_SUCCESS_NOT_BOOKED|'
            ELSE 'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|' END
           || coalesce(q.finding_txn, '') || '|channel@' || recon_key_time(q.requested_at)
           || '|' || coalesce(q.debit_account, ''),
       'HALF_COMPLETED',
       CASE WHEN q.status = 'SUCCESS' THEN 'CHANNEL_SUCCESS_NOT_BOOKED'
            ELSE 'CHANNEL_FAILED_BUT_BOOKED' END,
       q.finding_txn, NULL, q.request_id,
       coalesce(q.debit.account_id, q.debit_account),
       CASE WHEN q.status = 'SUCCESS' THEN q.amount
            WHEN q.own_booked_n > 0 THEN q.own_booked_debit
            ELSE q.txn_booked_debit END,
       CASE WHEN q.status = 'SUCCESS' THEN q.currency END,
       CASE WHEN q.status = 'SUCCESS' THEN 'POST_ENTRIES' ELSE 'NOTIFY_CUSTOMER' END,
       coalesce(q.debit.posted_at, CASE WHEN q.status = 'SUCCESS' THEN q.requested_at END),
       NULL, NULL, NULL,
       CASE WHEN q.debit IS NULL THEN ['channel:' || q.request_id]
            ELSE ['channel:' || q.request_id, 'ledger:' || q.debit.entry_id] END,
       q.request_id,
       n.tie_no
FROM flagged AS q
JOIN numbered AS n ON n.request_id = q.request_id;
