-- The impact of one incident: every exception its reruns tagged (recon_store.incident_tags),
-- by channel and by type/subtype, each per currency (money is never added across currencies),
-- with how much is still open, resolved by an analyst, or healed by itself. Grouping set ()
-- counts customers and transfers over every currency; its money columns are NULL.
WITH tagged AS (
    SELECT
        coalesce(nullif(e.channel, ''), 'UNKNOWN') AS channel_name,
        e.type,
        e.subtype,
        e.currency,
        nullif(e.customer_id, '') AS customer_id,
        e.txn_ref,
        e.amount,
        e.compensation,
        e.status
    FROM recon_store.exceptions AS e
    JOIN recon_store.incident_tags AS t USING (exception_id)
    WHERE t.incident_id = $incident_id
)
SELECT
    CASE
        WHEN grouping(channel_name) = 0 THEN 'channel'
        WHEN grouping(type) = 0 THEN 'type'
        WHEN grouping(currency) = 0 THEN 'currency'
        ELSE 'all'
    END AS dimension,
    channel_name AS channel,
    type,
    subtype,
    currency,
    count(*) AS findings,
    count(DISTINCT customer_id) AS customers,
    count(DISTINCT txn_ref) AS transfers,
    count(*) FILTER (WHERE list_contains($open, status)) AS open_findings,
    count(*) FILTER (WHERE status = $resolved) AS resolved_findings,
    count(*) FILTER (WHERE status = $healed) AS healed_findings,
    CASE WHEN grouping(currency) = 0 THEN coalesce(sum(amount), 0) END AS amount,
    CASE WHEN grouping(currency) = 0
        THEN coalesce(sum(amount) FILTER (WHERE list_contains($open, status)), 0) END
        AS open_amount,
    CASE WHEN grouping(currency) = 0
        THEN coalesce(sum(amount) FILTER (WHERE status = $resolved), 0) END AS resolved_amount,
    CASE WHEN grouping(currency) = 0
        THEN coalesce(sum(amount) FILTER (WHERE status = $healed), 0) END AS healed_amount,
    CASE WHEN grouping(currency) = 0 THEN coalesce(sum(compensation), 0) END AS compensation
FROM tagged
GROUP BY GROUPING SETS ((channel_name, currency), (type, subtype, currency), (currency), ())
ORDER BY dimension, channel, type, subtype, currency
