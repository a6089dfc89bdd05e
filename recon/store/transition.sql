-- An analyst's change to one exception: the new state and one more version (its audit event
-- is already appended, transition_event.sql).
UPDATE recon_store.exceptions SET
    status = $to_status,
    assignee = $assignee,
    resolution_code = $resolution_code,
    resolution_note = $resolution_note,
    closed_at = $closed_at,
    version = coalesce(version, 1) + 1
WHERE exception_id = $exception_id;
