-- The records of the events about to be appended (temp table _audit_new_events), in order.
SELECT event_no,
       audit_event(event_no, exception_id, changed_at, actor, os_user, run_id, action,
                   from_status, to_status, note) AS record
FROM _audit_new_events
ORDER BY event_no;
