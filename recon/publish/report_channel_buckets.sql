-- Channel requests and failed or timed-out ones in $minutes-wide local-time buckets.
SELECT
    time_bucket(to_minutes($minutes), local_minute, $start) AS bucket,
    sum(n) AS requests,
    coalesce(sum(n) FILTER (WHERE status IN ('FAILED', 'TIMEOUT')), 0) AS failed
FROM publish_requests
WHERE local_minute >= $start AND local_minute < $end
GROUP BY bucket
ORDER BY bucket;
