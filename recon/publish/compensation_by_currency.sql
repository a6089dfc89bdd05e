-- Compensation owed per currency, exact (summary.json `compensation_total`).
SELECT currency, CAST(sum(compensation) AS DECIMAL(38, 2)) AS total
FROM compensation
GROUP BY currency
ORDER BY currency;
