-- Append the staged events with their links (_audit_links: event_no, prev_hash, hash).
INSERT INTO recon_store.events BY NAME
SELECT n.*, l.prev_hash, l.hash
FROM _audit_new_events AS n
JOIN _audit_links AS l USING (event_no);
DROP TABLE _audit_new_events;
