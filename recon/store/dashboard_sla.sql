-- SLA by severity: open items and how many are past due; items an analyst resolved and how
-- many of them were resolved in time. Self-healed items are the data's doing, not the team's:
-- they are left out of compliance.
SELECT
    severity,
    count(*) FILTER (WHERE status IN ('OPEN', 'ASSIGNED')) AS open_items,
    count(*) FILTER (WHERE status IN ('OPEN', 'ASSIGNED') AND sla_breached) AS open_breached,
    count(*) FILTER (WHERE status = 'RESOLVED') AS resolved,
    count(*) FILTER (WHERE status = 'RESOLVED' AND NOT sla_breached) AS resolved_in_time
FROM _store_aged
GROUP BY severity
ORDER BY CASE severity WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END;
