-- First and last event of the day in local time ($tz): the chart's x-axis.
SELECT min(t) AS first_at, max(t) AS last_at
FROM (
    SELECT timezone($tz, event_at) AS t FROM publish_events
    UNION ALL
    SELECT timezone($tz, requested_at) FROM publish_requests
) AS events
WHERE t IS NOT NULL;
