-- Findings per type in $minutes-wide local-time buckets from $start (inclusive) to $end.
SELECT
    time_bucket(to_minutes($minutes), timezone($tz, event_at), $start) AS bucket,
    type,
    count(*) AS n
FROM publish_events
WHERE timezone($tz, event_at) >= $start AND timezone($tz, event_at) < $end
GROUP BY bucket, type
ORDER BY bucket, type;
