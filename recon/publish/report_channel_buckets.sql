-- Channel requests and failed or timed-out ones in $minutes-wide local-time buckets.
SELECT
    time_bucket(to_minutes($minutes), timezone($tz, requested_at), $start) AS bucket,
    count(*) AS requests,
    count(*) FILTER (WHERE status IN ('FAILED', 'TIMEOUT')) AS failed
FROM publish_requests
WHERE timezone($tz, requested_at) >= $start AND timezone($tz, requested_at) < $end
GROUP BY bucket
ORDER BY bucket;
