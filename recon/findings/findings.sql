-- The `findings` table (docs/architecture.md): customer, channel, evidence, compensation and
-- a stable exception_id for every staged finding. Only the findings' own transfers and
-- accounts are looked up, so this step stays small however large the extracts are.

-- The found transfers' descriptive facts, from their own rows only: the first booked
-- (non-duplicate) debit, the first debit leg, the first stale pending leg, the first
-- request, the payment record. A request without txn_ref joins through its ledger legs.
-- Each piece is its own statement: in one, the hash tables of every transfer's facts
-- (_fb_txn) and of each source's details were held at once and could not spill (10M
-- transfers in 200MB, as 100M would be in 2GB, ran out of memory there).
CREATE OR REPLACE TABLE _fb_refs AS
SELECT f.txn_ref, t.first_at
FROM (SELECT DISTINCT txn_ref FROM _fb_found WHERE txn_ref IS NOT NULL) AS f
LEFT JOIN _fb_txn AS t ON t.txn_ref = f.txn_ref;

CREATE OR REPLACE TABLE _fb_ledger_detail AS
WITH legs AS (
    SELECT l.*,
           l.reversal_of IS NULL AND l.direction = 'D' AS debit_leg,
           l.reversal_of IS NULL AND l.direction = 'D' AND l.status = 'POSTED'
               AND rv.entry_id IS NULL AND d.entry_id IS NULL AS booked,
           l.status = 'PENDING'
               AND l.posted_at < $cutoff::TIMESTAMPTZ - to_minutes($pending_sla_minutes)
               AS stale_pending
    FROM ledger AS l
    -- the found transfers' rows by txn_ref (a scan of one column), then read whole by rowid
    JOIN (
        SELECT rowid AS row_id FROM ledger WHERE txn_ref IN (SELECT txn_ref FROM _fb_refs)
    ) AS k
        ON l.rowid = k.row_id
    LEFT JOIN _fb_reversed AS rv ON rv.entry_id = l.entry_id
    LEFT JOIN _fb_dup AS d ON d.entry_id = l.entry_id
)
SELECT txn_ref,
       arg_min(
           {'entry_id': entry_id, 'account_id': account_id, 'request_id': request_id,
            'posted_at': posted_at},
           (posted_at, entry_id)
       ) FILTER (booked) AS booked,
       arg_min(
           {'account_id': account_id, 'currency': currency, 'request_id': request_id,
            'posted_at': posted_at},
           (posted_at, entry_id)
       ) FILTER (debit_leg) AS debit,
       arg_min(request_id, (posted_at, entry_id)) AS any_request,
       arg_min(currency, (posted_at, entry_id)) AS any_currency,
       arg_min(entry_id, (posted_at, entry_id)) FILTER (stale_pending) AS pending_entry,
       min(posted_at) FILTER (stale_pending AND direction = 'D') AS pending_debit_at
FROM legs
GROUP BY txn_ref;

CREATE OR REPLACE TABLE _fb_channel_detail AS
SELECT coalesce(c.txn_ref, rt.txn_ref) AS txn_ref,
       arg_min(
           {'request_id': c.request_id, 'account_id': c.debit_account,
            'currency': c.currency},
           (c.requested_at, c.request_id)
       ) AS request
FROM channel AS c
LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
WHERE coalesce(c.txn_ref, rt.txn_ref) IN (SELECT txn_ref FROM _fb_refs)
GROUP BY coalesce(c.txn_ref, rt.txn_ref);

CREATE OR REPLACE TABLE _fb_gateway_detail AS
SELECT txn_ref,
       arg_min(gateway_ref, (gateway_at, gateway_ref)) FILTER (status = 'SUCCESS')
           AS paid_ref,
       arg_min(currency, (gateway_at, gateway_ref)) AS currency
FROM gateway
WHERE txn_ref IN (SELECT txn_ref FROM _fb_refs)
GROUP BY txn_ref;

CREATE OR REPLACE TABLE _fb_detail AS
SELECT r.txn_ref,
       r.first_at,
       l.booked.posted_at AS debit_at,
       l.booked.entry_id AS debit_entry,
       l.debit.posted_at AS first_debit_at,
       coalesce(l.booked.account_id, l.debit.account_id, c.request.account_id) AS account_id,
       coalesce(l.debit.currency, g.currency, l.any_currency, c.request.currency) AS currency,
       coalesce(l.booked.request_id, l.debit.request_id, l.any_request) AS ledger_request,
       c.request.request_id AS channel_request,
       l.pending_entry,
       l.pending_debit_at,
       g.paid_ref
FROM _fb_refs AS r
LEFT JOIN _fb_ledger_detail AS l ON l.txn_ref = r.txn_ref
LEFT JOIN _fb_channel_detail AS c ON c.txn_ref = r.txn_ref
LEFT JOIN _fb_gateway_detail AS g ON g.txn_ref = r.txn_ref;
DROP TABLE _fb_refs;
DROP TABLE _fb_ledger_detail;
DROP TABLE _fb_channel_detail;
DROP TABLE _fb_gateway_detail;

-- Each staged finding with its blanks filled from its transfer's facts.
-- A finding about one row of an extract is keyed by its transfer and the row's instant;
-- rows that share both are told apart by `#n`, the row's place among its source's rows at
-- that instant (`tie_no`, transfers.sql), which stays when another finding goes away.
-- Rows that differ in what `tie_no` compares (account, amount) can still meet on one key
-- and number: the first of them (by the row's own id) keeps `#n`, the k-th gets `#n.k`,
-- so no two findings ever share a key.
CREATE OR REPLACE TABLE _fb_complete AS
SELECT f.finding_key
           || CASE WHEN f.tie IS NULL THEN ''
                   ELSE '#' || f.tie_no
                        || CASE WHEN f.same_no > 1 THEN '.' || f.same_no ELSE '' END
              END AS finding_key,
       f.type, f.subtype, f.txn_ref, f.related_txn_ref,
       f.request_id, d.ledger_request, d.channel_request,
       coalesce(f.account_id, d.account_id) AS account_id,
       f.amount,
       coalesce(f.currency, d.currency) AS currency,
       f.proposed_action,
       coalesce(f.event_at, d.debit_at, d.first_debit_at, d.first_at) AS event_at,
       f.comp_basis,
       coalesce(
           f.comp_from,
           CASE WHEN f.subtype = 'STUCK_PENDING' THEN d.pending_debit_at
                ELSE coalesce(d.debit_at, d.first_debit_at) END,
           f.event_at
       ) AS comp_from,
       f.comp_fee,
       list_transform(
           f.evidence,
           lambda item: CASE item
               WHEN '@debit' THEN 'ledger:' || d.debit_entry
               WHEN '@pending' THEN 'ledger:' || d.pending_entry
               WHEN '@payment' THEN 'gateway:' || d.paid_ref
               ELSE item END
       ) AS evidence
FROM (
    SELECT *,
           row_number() OVER (PARTITION BY finding_key, tie_no ORDER BY tie) AS same_no
    FROM _fb_found
) AS f
LEFT JOIN _fb_detail AS d ON d.txn_ref = f.txn_ref;

-- the requests the findings name, read from the channel table in one scan
-- (each piece of the findings is its own statement: in one, their hash tables were all held
-- at once and could not spill; 10M transfers in 200MB, as 100M in 2GB, ran out of memory)
CREATE OR REPLACE TABLE _fb_named AS
SELECT c.request_id, c.customer_id, c.channel
FROM channel AS c
SEMI JOIN (
    SELECT unnest([request_id, ledger_request, channel_request]) AS request_id
    FROM _fb_complete
) AS n ON n.request_id = c.request_id;

CREATE OR REPLACE TABLE _fb_requests AS
SELECT f.finding_key,
       coalesce(own.request_id, led.request_id, alt.request_id) AS request_id,
       coalesce(own.customer_id, led.customer_id, alt.customer_id) AS customer_id,
       coalesce(own.channel, led.channel, alt.channel) AS channel
FROM _fb_complete AS f
LEFT JOIN _fb_named AS own ON own.request_id = f.request_id
LEFT JOIN _fb_named AS led ON led.request_id = f.ledger_request
LEFT JOIN _fb_named AS alt ON alt.request_id = f.channel_request;

-- "another request of the same debit account": its first request's customer
CREATE OR REPLACE TABLE _fb_account_customer AS
SELECT debit_account AS account_id,
       arg_min(customer_id, (requested_at, request_id)) AS customer_id
FROM channel
WHERE debit_account IN (SELECT account_id FROM _fb_complete)
GROUP BY debit_account;

CREATE OR REPLACE TABLE _fb_evidence AS
WITH context AS (
    SELECT txn_ref, 'ledger:' || entry_id AS item, 1 AS grp, posted_at AS ts
    FROM ledger WHERE txn_ref IN (SELECT txn_ref FROM _fb_complete)
    UNION ALL
    SELECT txn_ref, 'channel:' || request_id, 2, requested_at
    FROM channel WHERE txn_ref IN (SELECT txn_ref FROM _fb_complete)
    UNION ALL
    SELECT txn_ref, 'gateway:' || gateway_ref, 3, gateway_at
    FROM gateway WHERE txn_ref IN (SELECT txn_ref FROM _fb_complete)
    UNION ALL
    SELECT txn_ref, 'invoices:' || invoice_id, 4, issued_at
    FROM invoices WHERE txn_ref IN (SELECT txn_ref FROM _fb_complete)
),
items AS (
    SELECT finding_key, unnest(evidence) AS item, generate_subscripts(evidence, 1) AS pos,
           NULL::TIMESTAMPTZ AS ts
    FROM _fb_complete
    UNION ALL
    SELECT finding_key, 'channel:' || request_id, 100, NULL
    FROM _fb_requests WHERE request_id IS NOT NULL
    UNION ALL
    SELECT f.finding_key, c.item, 1000 + c.grp, c.ts
    FROM _fb_complete AS f
    JOIN context AS c ON c.txn_ref = f.txn_ref
)
SELECT finding_key, string_agg(item, ';' ORDER BY pos, ts, item) AS evidence
FROM (
    SELECT finding_key, item, min(pos) AS pos, min(ts) AS ts
    FROM items
    WHERE item IS NOT NULL
    GROUP BY finding_key, item
)
GROUP BY finding_key;

CREATE OR REPLACE TABLE findings AS
-- interest in whole cents, exact integers, rounded half up:
-- amount * rate * days / day_basis, days = max(min_days, ceil((cutoff - from) / 1 day))
WITH interest AS (
    SELECT finding_key,
           CASE WHEN comp_basis IS NULL OR comp_basis <= 0 THEN 0::HUGEINT
                ELSE (2 * (comp_basis::DECIMAL(38, 2) * 100)::HUGEINT * $rate_num::HUGEINT
                        * greatest(
                            $min_days::HUGEINT,
                            (epoch_us($cutoff::TIMESTAMPTZ) - epoch_us(comp_from)
                                + 86399999999)::HUGEINT // 86400000000
                        )
                      + $rate_den::HUGEINT * $day_basis::HUGEINT)
                     // (2 * $rate_den::HUGEINT * $day_basis::HUGEINT)
           END AS cents
    FROM _fb_complete
)
SELECT 'EX-' || upper(substr(sha256(f.finding_key), 1, 16)) AS exception_id,
       f.finding_key,
       f.type,
       f.subtype,
       f.txn_ref,
       f.related_txn_ref,
       coalesce(r.customer_id, ac.customer_id, '') AS customer_id,
       f.account_id,
       f.amount,
       f.currency,
       e.evidence,
       f.proposed_action,
       ((i.cents::DECIMAL(38, 0) * 0.01) + coalesce(f.comp_fee, 0))::DECIMAL(38, 2)
           AS compensation,
       f.event_at,
       r.channel
FROM _fb_complete AS f
JOIN _fb_requests AS r ON r.finding_key = f.finding_key
JOIN interest AS i ON i.finding_key = f.finding_key
LEFT JOIN _fb_evidence AS e ON e.finding_key = f.finding_key
LEFT JOIN _fb_account_customer AS ac ON ac.account_id = f.account_id
ORDER BY f.type, f.subtype, f.txn_ref, f.finding_key;
DROP TABLE _fb_named;
DROP TABLE _fb_requests;
DROP TABLE _fb_account_customer;
DROP TABLE _fb_evidence;

-- What compensation policies other than the default need of each finding (recon/remedies/
-- policies.py): the money it holds of the customer's and since when. Kept past the scratch tables.
CREATE OR REPLACE TABLE compensation_basis AS
SELECT finding_key, comp_basis AS held_amount, comp_from AS held_since
FROM _fb_complete;
