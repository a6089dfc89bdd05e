-- Compensation proposed by this run, per currency (never added across currencies).
SELECT currency, sum(compensation) AS compensation, count(*) AS customers
FROM compensation
GROUP BY currency
ORDER BY currency
