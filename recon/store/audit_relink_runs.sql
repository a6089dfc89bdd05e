-- Write recomputed run links (_audit_links: run_no, prev_hash, hash).
UPDATE recon_store.runs AS r SET prev_hash = l.prev_hash, hash = l.hash
FROM _audit_links AS l
WHERE r.run_no = l.run_no;
