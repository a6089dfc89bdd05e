-- The source rows kept for one exception, in the order its evidence lists them.
SELECT position, source, key, file, line, "row"::VARCHAR AS "row", captured_run
FROM recon_store.evidence_rows
WHERE exception_id = $exception_id
ORDER BY position;
