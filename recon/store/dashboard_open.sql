-- The open queue (OPEN, ASSIGNED) by type, by channel and by age bucket: how many and how
-- much money, per currency (amounts in different currencies are never added together).
WITH open_items AS (
    SELECT * FROM _store_aged WHERE status IN ('OPEN', 'ASSIGNED')
)
SELECT 'type' AS dimension, type AS bucket, currency, count(*) AS items,
       sum(amount)::DECIMAL(38, 2) AS amount, count(*) FILTER (WHERE sla_breached) AS breached
FROM open_items GROUP BY ALL
UNION ALL
SELECT 'channel', coalesce(channel, '(no channel request)'), currency, count(*),
       sum(amount)::DECIMAL(38, 2), count(*) FILTER (WHERE sla_breached)
FROM open_items GROUP BY ALL
UNION ALL
SELECT 'age',
       CASE
           WHEN age_hours < 4 THEN '1 under 4 hours'
           WHEN age_hours < 24 THEN '2 4 to 24 hours'
           WHEN age_hours < 72 THEN '3 1 to 3 days'
           WHEN age_hours < 168 THEN '4 3 to 7 days'
           ELSE '5 over 7 days'
       END,
       currency, count(*), sum(amount)::DECIMAL(38, 2), count(*) FILTER (WHERE sla_breached)
FROM open_items GROUP BY ALL
ORDER BY dimension, bucket, currency;
