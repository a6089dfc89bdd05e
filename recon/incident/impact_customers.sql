-- The customers one incident touched most (recon_store.incident_tags): per customer and
-- currency, the findings, the transfers, the money at stake counted once per transfer (the
-- largest amount its findings name; a finding without txn_ref is a transfer of its own) and
-- how much of it is still open; the $limit largest. Customer ids masked when $mask
-- (recon.privacy): the report is shared.
WITH transfers AS (
    SELECT
        e.customer_id,
        e.currency,
        count(*) AS findings,
        max(e.amount) AS amount,
        coalesce(max(e.amount) FILTER (WHERE list_contains($open, e.status)), 0) AS open_amount
    FROM recon_store.exceptions AS e
    JOIN recon_store.incident_tags AS t USING (exception_id)
    WHERE t.incident_id = $incident_id AND coalesce(e.customer_id, '') <> ''
    GROUP BY e.customer_id, e.currency, e.txn_ref,
        CASE WHEN e.txn_ref IS NULL THEN e.exception_id END
)
SELECT
    mask_id(customer_id, $mask) AS customer_id,
    currency,
    sum(findings) AS findings,
    count(*) AS transfers,
    coalesce(sum(amount), 0) AS amount,
    sum(open_amount) AS open_amount
FROM transfers
GROUP BY customer_id, currency
ORDER BY amount DESC, customer_id, currency
LIMIT $limit
