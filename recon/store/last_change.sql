-- Who changed an exception last and when (for "changed by X at T").
SELECT actor, changed_at FROM recon_store.events
WHERE exception_id = $id
ORDER BY event_no DESC
LIMIT 1;
