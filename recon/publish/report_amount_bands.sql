-- Open exceptions per amount band (band 0 = no amount) and currency.
SELECT
    CASE
        WHEN amount IS NULL THEN 0
        WHEN amount < 100 THEN 1
        WHEN amount < 1000 THEN 2
        WHEN amount < 10000 THEN 3
        WHEN amount < 100000 THEN 4
        ELSE 5
    END AS band,
    currency,
    count(*) AS n,
    sum(amount) AS amount
FROM publish_cases
GROUP BY ALL
ORDER BY band, currency;
