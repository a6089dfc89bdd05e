-- Compensation owed per currency and how many customers receive it.
SELECT currency, count(DISTINCT customer_id) AS customers, sum(compensation) AS total
FROM compensation
GROUP BY currency
ORDER BY currency;
