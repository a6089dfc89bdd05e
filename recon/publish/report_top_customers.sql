-- Customers owed the most compensation, with their open exceptions in that currency and the
-- money those hold (each transfer once, publish_held); ids masked when $mask (recon.privacy).
WITH cases AS (
    SELECT customer_id, currency, count(*) AS n, sum(amount) FILTER (WHERE holds) AS amount
    FROM publish_held
    GROUP BY customer_id, currency
)
SELECT
    mask_id(c.customer_id, $mask) AS customer_id,
    c.currency,
    c.compensation,
    coalesce(k.n, 0) AS cases,
    k.amount
FROM compensation AS c
LEFT JOIN cases AS k
    ON k.customer_id = c.customer_id AND k.currency IS NOT DISTINCT FROM c.currency
ORDER BY c.compensation DESC, c.customer_id, c.currency
LIMIT $limit;
