-- First and last event of the day in local time ($tz): the chart's x-axis.
SELECT min(first_at) AS first_at, max(last_at) AS last_at
FROM (
    SELECT timezone($tz, event_at) AS first_at, timezone($tz, event_at) AS last_at
    FROM publish_events
    WHERE event_at IS NOT NULL
    UNION ALL
    SELECT first_at, last_at FROM publish_requests
) AS events;
