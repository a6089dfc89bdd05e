-- Scope: transfers, customers and money per customer type, channel, amount band and finding
-- type, per currency. `rank` orders the amount bands from small to large.
SELECT 'customer type' AS dimension, customer_type AS value, 0 AS rank, currency,
       count(*) AS transfers, count(DISTINCT customer_id) AS customers, sum(amount) AS amount
FROM _rr_transfers GROUP BY ALL
UNION ALL
SELECT 'channel', channel, 0, currency, count(*), count(DISTINCT customer_id), sum(amount)
FROM _rr_transfers GROUP BY ALL
UNION ALL
SELECT 'amount band',
       CASE WHEN amount < 1000 THEN 'under 1,000'
            WHEN amount < 10000 THEN '1,000 to 9,999.99'
            WHEN amount < 100000 THEN '10,000 to 99,999.99'
            ELSE '100,000 and over' END,
       CASE WHEN amount < 1000 THEN 1 WHEN amount < 10000 THEN 2
            WHEN amount < 100000 THEN 3 ELSE 4 END,
       currency, count(*), count(DISTINCT customer_id), sum(amount)
FROM _rr_transfers GROUP BY ALL
UNION ALL
SELECT 'transaction type', type || '/' || subtype, 0, currency, count(DISTINCT transfer),
       count(DISTINCT customer_id), sum(amount)
FROM _rr_cases GROUP BY ALL
ORDER BY dimension, rank, value, currency;
