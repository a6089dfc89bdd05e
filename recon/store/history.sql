-- One exception's audit trail, oldest first.
SELECT event_no, changed_at, actor, run_id, action, from_status, to_status, note
FROM recon_store.events
WHERE exception_id = $exception_id
ORDER BY event_no;
