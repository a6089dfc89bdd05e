-- The record of the run about to be appended (temp table _audit_new_run, one row).
SELECT audit_run(run_no, run_id, actor, os_user, started_at, finished_at, cutoff, data_dir,
                 incident_id, params, timings, outcome, error, found, new, reopened, healed,
                 still_open, open_total, pid, events_head) AS record
FROM _audit_new_run;
