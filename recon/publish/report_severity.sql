-- Open exceptions per severity and status, with SLA breaches and the oldest age in hours.
SELECT
    coalesce(severity, '') AS severity,
    coalesce(status, '') AS status,
    count(*) AS n,
    count(*) FILTER (WHERE sla_breached) AS breached,
    max(age_hours) AS oldest_hours,
    count(*) FILTER (WHERE assignee IS NULL OR assignee = '') AS unassigned
FROM publish_cases
GROUP BY ALL
ORDER BY severity, status;
