-- Per analyst: what they did to exceptions (events without a run; user-management events,
-- about `user:<name>`, and the approval limit's, about `store:approvals`, are not exception
-- work), in the last day, the last 7 days and ever.
SELECT
    actor,
    count(*) FILTER (WHERE action = 'RESOLVED' AND changed_at > $as_of - INTERVAL 1 DAY)
        AS resolved_1d,
    count(*) FILTER (WHERE action = 'RESOLVED' AND changed_at > $as_of - INTERVAL 7 DAY)
        AS resolved_7d,
    count(*) FILTER (WHERE action = 'RESOLVED') AS resolved,
    count(*) FILTER (WHERE action IN ('ASSIGNED', 'REASSIGNED')) AS assigned,
    count(*) FILTER (WHERE action = 'REOPENED') AS reopened,
    count(*) FILTER (WHERE action NOT IN ('RESOLVED', 'ASSIGNED', 'REASSIGNED', 'REOPENED'))
        AS other,
    max(changed_at) AS last_action_at
FROM recon_store.events
WHERE run_id IS NULL AND NOT starts_with(exception_id, 'user:')
  AND NOT starts_with(exception_id, 'store:')
GROUP BY actor
ORDER BY resolved_7d DESC, resolved DESC, actor;
