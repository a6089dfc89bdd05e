-- The run's own record, written last in the transaction so open_total counts its result.
INSERT INTO recon_store.runs
SELECT
    $run_id, $actor, $started_at, $now, $cutoff, $data_dir, $incident_id, $params, $timings,
    $outcome, $error,
    (SELECT count(*) FROM _store_found),
    (SELECT count(*) FROM _store_found WHERE change = 'NEW'),
    (SELECT count(*) FROM _store_found WHERE change = 'REOPENED'),
    (SELECT count(*) FROM _store_healed),
    (SELECT count(*) FROM _store_found WHERE change = 'STILL_OPEN'),
    (SELECT count(*) FROM recon_store.exceptions WHERE status IN ('OPEN', 'ASSIGNED')),
    $pid;
