-- What is still open per currency: cases, transfers, money at stake, the oldest open
-- transfer, and double-credit alerts nobody has acknowledged.
SELECT t.currency,
       (SELECT count(*) FROM _rr_cases AS c
        WHERE c.currency = t.currency AND c.status IN ('OPEN', 'ASSIGNED')) AS open_cases,
       count(*) AS open_transfers,
       sum(t.amount) AS open_amount,
       min(t.first_at) AS oldest_open,
       (SELECT count(*) FROM recon_store.alerts AS a
        JOIN _rr_cases AS c USING (exception_id)
        WHERE c.currency = t.currency AND a.acknowledged_at IS NULL) AS alerts
FROM _rr_transfers AS t
WHERE t.open
GROUP BY t.currency
ORDER BY t.currency;
