-- The outage as the cases show it: the first and last affected transfer, per channel.
SELECT channel, min(event_at) AS first_at, max(event_at) AS last_at, count(*) AS transfers
FROM (SELECT channel, first_at AS event_at FROM _rr_transfers)
GROUP BY channel
ORDER BY channel;
