-- An analyst's change to one exception: the audit event, then the new state.
INSERT INTO recon_store.events
SELECT
    coalesce(max(event_no), 0) + 1, $exception_id, $now, $actor, NULL, $action,
    $from_status, $to_status, $note
FROM recon_store.events;
UPDATE recon_store.exceptions SET
    status = $to_status,
    assignee = $assignee,
    resolution_code = $resolution_code,
    resolution_note = $resolution_note,
    closed_at = $closed_at
WHERE exception_id = $exception_id;
