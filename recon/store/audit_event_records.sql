-- Every event with the record its hash covers, in chain order (recon/store/audit.py).
SELECT event_no, exception_id, run_id, prev_hash, hash,
       audit_event(event_no, exception_id, changed_at, actor, os_user, run_id, action,
                   from_status, to_status, note) AS record
FROM recon_store.events
ORDER BY event_no;
