-- Rows in the working tables after ingest: what decides how many buckets a run's checks need.
SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM channel)
       + (SELECT count(*) FROM gateway) + (SELECT count(*) FROM invoices) AS rows;
