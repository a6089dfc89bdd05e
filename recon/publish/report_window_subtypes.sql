-- This run's findings per type and subtype: how many broke inside local [$start, $end) and
-- how many in the whole run, most affected first.
SELECT
    type,
    subtype,
    count(*) FILTER (
        WHERE timezone($tz, event_at) >= $start AND timezone($tz, event_at) < $end
    ) AS inside,
    count(*) AS total
FROM publish_events
GROUP BY type, subtype
ORDER BY inside DESC, type, subtype;
