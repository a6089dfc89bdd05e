-- The chain position of one run.
SELECT run_no FROM recon_store.runs WHERE run_id = $run_id;
