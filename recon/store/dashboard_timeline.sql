-- Findings over time: every exception ever found, by when its transfer broke (event_at), in
-- buckets of $bucket_minutes.
SELECT
    time_bucket(to_minutes($bucket_minutes::BIGINT), event_at) AS bucket_start,
    count(*) AS findings,
    count(*) FILTER (WHERE status IN ('OPEN', 'ASSIGNED')) AS still_open
FROM recon_store.exceptions
WHERE event_at IS NOT NULL
GROUP BY ALL
ORDER BY bucket_start;
