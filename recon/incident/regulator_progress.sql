-- Handling day by day (days in $timezone, to $as_of's day): the cases found by the end of
-- each day and, of them, how many were open, resolved by an analyst, or healed on their own.
WITH ev AS (
    SELECT exception_id, changed_at, to_status, event_no
    FROM recon_store.events
    WHERE exception_id IN (SELECT exception_id FROM _rr_cases)
),
bounds AS (
    SELECT (min(changed_at) AT TIME ZONE $timezone)::DATE AS first_day,
           ($as_of::TIMESTAMPTZ AT TIME ZONE $timezone)::DATE AS last_day
    FROM ev
),
days AS (
    SELECT unnest(generate_series(first_day, last_day, INTERVAL 1 DAY))::DATE AS day
    FROM bounds
    WHERE first_day IS NOT NULL
),
state AS (
    SELECT d.day, e.exception_id, arg_max(e.to_status, e.event_no) AS status
    FROM days AS d
    JOIN ev AS e ON (e.changed_at AT TIME ZONE $timezone)::DATE <= d.day
    GROUP BY d.day, e.exception_id
)
SELECT day,
       count(*) AS found,
       count(*) FILTER (WHERE status IN ('OPEN', 'ASSIGNED')) AS open,
       count(*) FILTER (WHERE status = 'RESOLVED') AS resolved,
       count(*) FILTER (WHERE status = 'SELF_HEALED') AS healed
FROM state
GROUP BY day
ORDER BY day;
