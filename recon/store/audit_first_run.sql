-- The first run of the chain.
SELECT run_id FROM recon_store.runs ORDER BY run_no NULLS LAST, run_id LIMIT 1;
