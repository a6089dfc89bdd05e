-- Open exceptions per amount band (band 0 = no amount) and currency. A transfer is in the
-- band of the money it holds (publish_held), once: `amount` is distinct money at stake,
-- `transfers` the transfers and `n` the findings that name them.
SELECT
    CASE
        WHEN held_amount IS NULL THEN 0
        WHEN held_amount < 100 THEN 1
        WHEN held_amount < 1000 THEN 2
        WHEN held_amount < 10000 THEN 3
        WHEN held_amount < 100000 THEN 4
        ELSE 5
    END AS band,
    currency,
    count(*) AS n,
    count(*) FILTER (WHERE holds) AS transfers,
    sum(amount) FILTER (WHERE holds) AS amount
FROM publish_held
GROUP BY ALL
ORDER BY band, currency;
