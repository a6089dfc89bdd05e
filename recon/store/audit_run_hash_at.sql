-- The hash of the run at one chain position.
SELECT hash FROM recon_store.runs WHERE run_no = $run_no;
