-- The store's alerts with their exception's current state, oldest first; `active` until an
-- analyst acknowledges it. A NULL filter matches all.
SELECT a.exception_id, a.kind, a.raised_at, a.run_id, a.resolved_by, a.resolved_at, a.note,
       a.acknowledged_by, a.acknowledged_at, a.acknowledge_note,
       a.acknowledged_at IS NULL AS active,
       s.type, s.subtype, s.txn_ref, s.amount, s.currency, s.status, s.assignee
FROM recon_store.alerts AS a
JOIN recon_store.exceptions AS s USING (exception_id)
WHERE ($exception_id::VARCHAR IS NULL OR a.exception_id = $exception_id::VARCHAR)
  AND (NOT $active_only::BOOLEAN OR a.acknowledged_at IS NULL)
ORDER BY a.raised_at, a.exception_id;
