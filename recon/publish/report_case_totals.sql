-- Headline figures of the open exceptions per currency: findings, customers, transfers,
-- money at stake counted once per transfer (publish_held), and the sum over findings beside
-- it (larger when several findings name the same money).
SELECT
    currency,
    count(*) AS n,
    count(DISTINCT customer_id) AS customers,
    count(*) FILTER (WHERE holds) AS transfers,
    sum(amount) FILTER (WHERE holds) AS amount,
    sum(amount) AS findings_amount,
    count(*) FILTER (WHERE sla_breached) AS breached
FROM publish_held
GROUP BY currency
ORDER BY currency;
