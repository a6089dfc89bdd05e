-- Customers owed the most compensation, with how many open exceptions they have.
WITH cases AS (
    SELECT customer_id, count(*) AS n, sum(amount) AS amount
    FROM publish_cases
    GROUP BY customer_id
)
SELECT c.customer_id, c.currency, c.compensation, coalesce(k.n, 0) AS cases, k.amount
FROM compensation AS c
LEFT JOIN cases AS k ON k.customer_id = c.customer_id
ORDER BY c.compensation DESC, c.customer_id, c.currency
LIMIT $limit;
