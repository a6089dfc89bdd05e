-- The incident's totals per currency: cases, transfers, customers, money at stake (each
-- transfer once).
SELECT t.currency, (SELECT count(*) FROM _rr_cases AS c WHERE c.currency = t.currency) AS cases,
       count(*) AS transfers, count(DISTINCT t.customer_id) AS customers,
       sum(t.amount) AS amount
FROM _rr_transfers AS t
GROUP BY t.currency
ORDER BY t.currency;
