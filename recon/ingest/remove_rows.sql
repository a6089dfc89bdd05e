-- Leave only valid rows: broken rows, exact duplicates and conflicting keys go.
DELETE FROM {table}
WHERE _rule IS NOT NULL
   OR _row IN (SELECT _row FROM recon_ingest_duplicates)
   OR _row IN (SELECT _row FROM recon_ingest_conflicts)
