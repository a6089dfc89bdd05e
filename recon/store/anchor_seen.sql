-- One source's part of `_store_anchor_seen` (anchors.sql): the anchors this run read again.
-- Table, key and parameter names come from recon/store/evidence.py's constants. A request may
-- name no transfer (its finding's is its debit's), so a missing txn_ref matches.
SELECT a.exception_id
FROM _store_anchor AS a
JOIN {table} AS t ON t.{key} = a.key AND coalesce(t.txn_ref, a.txn_ref) = a.txn_ref
WHERE list_contains(${names}::VARCHAR[], a.source)
