-- One exception's current state, read by an analyst's action before it changes it.
SELECT status, assignee, resolution_code, resolution_note, closed_at, version
FROM recon_store.exceptions
WHERE exception_id = $id;
