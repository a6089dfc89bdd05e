-- The store's audit log: every event, oldest first, narrowed by the given filters (NULL: any).
-- `since` is inclusive, `until` exclusive; the actor matches case-insensitively.
SELECT event_no, changed_at, actor, os_user, exception_id, action, from_status, to_status,
       note, run_id
FROM recon_store.events
WHERE ($actor::VARCHAR IS NULL OR lower(actor) = lower($actor::VARCHAR))
  AND ($since::TIMESTAMPTZ IS NULL OR changed_at >= $since::TIMESTAMPTZ)
  AND ($until::TIMESTAMPTZ IS NULL OR changed_at < $until::TIMESTAMPTZ)
  AND ($exception_id::VARCHAR IS NULL OR exception_id = $exception_id::VARCHAR)
  AND ($run_id::VARCHAR IS NULL OR run_id = $run_id::VARCHAR)
  AND ($action::VARCHAR IS NULL OR action = upper($action::VARCHAR))
ORDER BY event_no;
