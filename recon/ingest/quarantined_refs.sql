-- The transfer (txn_ref) and request each quarantined row of one source names, where the
-- row names them in a field that is not itself the broken one. Healing needs positive
-- evidence (CONTRACT.md section 5): a transfer that lost a row this run is not vouched for,
-- and a quarantined row that names no transfer at all withholds every healing of its source
-- (recon/findings/healing.sql). The same rows as quarantine_rows.sql.
INSERT INTO quarantined_refs
SELECT $source,
       CASE WHEN list_extract($rule_columns, t._rule) <> 'txn_ref' THEN t.txn_ref END,
       CASE WHEN list_extract($rule_columns, t._rule) <> 'request_id' THEN {request_id} END
FROM {table} AS t
WHERE t._rule IS NOT NULL
  AND t._row NOT IN (SELECT _row FROM recon_ingest_duplicates)
UNION ALL
SELECT $source, t.txn_ref, {request_id}
FROM recon_ingest_conflicts AS c
JOIN {table} AS t ON t._row = c._row
