-- Customers' money held: per currency, the transfers that held it, how much, how much is
-- still held, and for how long in minutes (until released, or $as_of while still open).
SELECT currency,
       count(*) AS transfers,
       sum(held_amount) AS amount,
       coalesce(sum(held_amount) FILTER (WHERE open), 0) AS still_held,
       max(datediff('minute', first_at, coalesce(released_at, $as_of::TIMESTAMPTZ)))
           AS longest_minutes,
       sum(datediff('minute', first_at, coalesce(released_at, $as_of::TIMESTAMPTZ)))
           AS total_minutes
FROM _rr_transfers
WHERE holds_money AND first_at IS NOT NULL
GROUP BY currency
ORDER BY currency;
