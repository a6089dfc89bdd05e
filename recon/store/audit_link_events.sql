-- Write the links of events that had none (migration to schema 3).
UPDATE recon_store.events AS e SET prev_hash = l.prev_hash, hash = l.hash
FROM _audit_links AS l
WHERE e.event_no = l.event_no;
