-- The `findings` table (docs/architecture.md): customer, channel, evidence, compensation and
-- a stable exception_id for every staged finding. Only the findings' own transfers and
-- accounts are looked up, so this step stays small however large the extracts are.

CREATE OR REPLACE TABLE findings AS
WITH requests AS (
    SELECT f.finding_key,
           coalesce(own.request_id, alt.request_id) AS request_id,
           coalesce(own.customer_id, alt.customer_id) AS customer_id,
           coalesce(own.channel, alt.channel) AS channel
    FROM _fb_found AS f
    LEFT JOIN channel AS own ON own.request_id = f.request_id
    LEFT JOIN channel AS alt ON alt.request_id = f.alt_request_id
),
-- "another request of the same debit account": its first request's customer
account_customer AS (
    SELECT debit_account AS account_id,
           arg_min(customer_id, (requested_at, request_id)) AS customer_id
    FROM channel
    WHERE debit_account IN (SELECT account_id FROM _fb_found)
    GROUP BY debit_account
),
context AS (
    SELECT txn_ref, 'ledger:' || entry_id AS item, 1 AS grp, posted_at AS ts
    FROM ledger WHERE txn_ref IN (SELECT txn_ref FROM _fb_found)
    UNION ALL
    SELECT txn_ref, 'channel:' || request_id, 2, requested_at
    FROM channel WHERE txn_ref IN (SELECT txn_ref FROM _fb_found)
    UNION ALL
    SELECT txn_ref, 'gateway:' || gateway_ref, 3, gateway_at
    FROM gateway WHERE txn_ref IN (SELECT txn_ref FROM _fb_found)
    UNION ALL
    SELECT txn_ref, 'invoices:' || invoice_id, 4, issued_at
    FROM invoices WHERE txn_ref IN (SELECT txn_ref FROM _fb_found)
),
items AS (
    SELECT finding_key, unnest(evidence) AS item, generate_subscripts(evidence, 1) AS pos,
           NULL::TIMESTAMPTZ AS ts
    FROM _fb_found
    UNION ALL
    SELECT finding_key, 'channel:' || request_id, 100, NULL
    FROM requests WHERE request_id IS NOT NULL
    UNION ALL
    SELECT f.finding_key, c.item, 1000 + c.grp, c.ts
    FROM _fb_found AS f
    JOIN context AS c ON c.txn_ref = f.txn_ref
),
evidence AS (
    SELECT finding_key, string_agg(item, ';' ORDER BY pos, ts, item) AS evidence
    FROM (
        SELECT finding_key, item, min(pos) AS pos, min(ts) AS ts
        FROM items
        WHERE item IS NOT NULL
        GROUP BY finding_key, item
    )
    GROUP BY finding_key
),
-- interest in whole cents, exact integers, rounded half up:
-- amount * rate * days / day_basis, days = max(min_days, ceil((cutoff - from) / 1 day))
interest AS (
    SELECT finding_key,
           CASE WHEN comp_basis IS NULL OR comp_basis <= 0 THEN 0::HUGEINT
                ELSE (2 * (comp_basis * 100)::HUGEINT * $rate_num::HUGEINT
                        * greatest(
                            $min_days::HUGEINT,
                            (epoch_us($cutoff::TIMESTAMPTZ) - epoch_us(comp_from)
                                + 86399999999)::HUGEINT // 86400000000
                        )
                      + $rate_den::HUGEINT * $day_basis::HUGEINT)
                     // (2 * $rate_den::HUGEINT * $day_basis::HUGEINT)
           END AS cents
    FROM _fb_found
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
       ((i.cents::DECIMAL(38, 0) * 0.01) + coalesce(f.comp_fee, 0))::DECIMAL(18, 2)
           AS compensation,
       f.event_at,
       r.channel
FROM _fb_found AS f
JOIN requests AS r ON r.finding_key = f.finding_key
JOIN interest AS i ON i.finding_key = f.finding_key
LEFT JOIN evidence AS e ON e.finding_key = f.finding_key
LEFT JOIN account_customer AS ac ON ac.account_id = f.account_id
ORDER BY f.type, f.subtype, f.txn_ref, f.finding_key;
