-- An analyst's acknowledgement of an alert (its event is already appended): off the queue.
UPDATE recon_store.alerts SET
    acknowledged_by = $actor,
    acknowledged_at = $now::TIMESTAMPTZ,
    acknowledge_note = $note
WHERE exception_id = $exception_id AND kind = $kind AND acknowledged_at IS NULL;
