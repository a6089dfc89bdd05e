-- This run's findings whose break happened inside local [$start, $end).
SELECT count(*)
FROM publish_events
WHERE timezone($tz, event_at) >= $start AND timezone($tz, event_at) < $end;
