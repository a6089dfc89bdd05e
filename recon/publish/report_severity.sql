-- Open exceptions per severity (HIGH, MEDIUM, LOW, then none) and status, with SLA breaches
-- and the oldest age in hours.
SELECT *
FROM (
    SELECT
        coalesce(severity, '') AS severity,
        coalesce(status, '') AS status,
        count(*) AS n,
        count(*) FILTER (WHERE sla_breached) AS breached,
        max(age_hours) AS oldest_hours,
        count(*) FILTER (WHERE assignee IS NULL OR assignee = '') AS unassigned
    FROM publish_cases
    GROUP BY ALL
) AS s
ORDER BY
    CASE severity WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'LOW' THEN 2 ELSE 3 END,
    severity,
    status;
