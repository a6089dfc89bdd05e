-- Headline figures of the open exceptions: count, customers, money at stake per currency.
SELECT
    currency,
    count(*) AS n,
    count(DISTINCT customer_id) AS customers,
    sum(amount) AS amount,
    count(*) FILTER (WHERE sla_breached) AS breached
FROM publish_cases
GROUP BY currency
ORDER BY currency;
