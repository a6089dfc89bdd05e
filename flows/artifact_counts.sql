-- Open exceptions after this run by type and subtype, and how many of them this run saw first.
SELECT
    type,
    subtype,
    count(*) AS open,
    count(*) FILTER (WHERE first_seen_run = $run_id) AS new
FROM exceptions
GROUP BY type, subtype
ORDER BY type, subtype
