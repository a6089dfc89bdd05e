-- The analysts' changes (_changes): each exception's new state and one more version (their
-- audit events are already appended, transition_events.sql).
UPDATE recon_store.exceptions AS e SET
    status = c.to_status,
    assignee = c.assignee,
    resolution_code = c.resolution_code,
    resolution_note = c.resolution_note,
    closed_at = c.closed_at,
    version = coalesce(e.version, 1) + 1
FROM _changes AS c
WHERE e.exception_id = c.exception_id;
DROP TABLE _changes;
