-- Runs from run_no $from_run_no on, with the record each hash covers, in chain order. A row
-- without a run_no (not written by recon) comes last.
SELECT run_no, run_id, prev_hash, hash, events_head,
       audit_run(run_no, run_id, actor, os_user, started_at, finished_at, cutoff, data_dir,
                 incident_id, params, timings, outcome, error, found, new, reopened, healed,
                 still_open, open_total, pid, events_head) AS record
FROM recon_store.runs
WHERE run_no >= $from_run_no OR run_no IS NULL
ORDER BY run_no NULLS LAST, run_id;
