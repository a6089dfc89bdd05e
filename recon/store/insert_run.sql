-- The run's own record, written last in the transaction so open_total counts its result and
-- events_head seals the events it wrote. Staged for audit.py, which chains and appends it.
CREATE OR REPLACE TEMP TABLE _audit_new_run AS
SELECT
    $run_id::VARCHAR AS run_id,
    $actor::VARCHAR AS actor,
    $started_at::TIMESTAMPTZ AS started_at,
    $now::TIMESTAMPTZ AS finished_at,
    $cutoff::TIMESTAMPTZ AS cutoff,
    $data_dir::VARCHAR AS data_dir,
    $incident_id::VARCHAR AS incident_id,
    $params::JSON AS params,
    $timings::JSON AS timings,
    $outcome::VARCHAR AS outcome,
    $error::VARCHAR AS error,
    (SELECT count(*) FROM _store_found)::INTEGER AS found,
    (SELECT count(*) FROM _store_found WHERE change = 'NEW')::INTEGER AS new,
    (SELECT count(*) FROM _store_found WHERE change = 'REOPENED')::INTEGER AS reopened,
    (SELECT count(*) FROM _store_healed)::INTEGER AS healed,
    (SELECT count(*) FROM _store_found WHERE change = 'STILL_OPEN')::INTEGER AS still_open,
    (SELECT count(*) FROM recon_store.exceptions WHERE status IN ('OPEN', 'ASSIGNED'))::INTEGER
        AS open_total,
    $pid::INTEGER AS pid,
    coalesce((SELECT max(run_no) FROM recon_store.runs), 0) + 1 AS run_no,
    $os_user::VARCHAR AS os_user,
    (SELECT hash FROM recon_store.events ORDER BY event_no DESC LIMIT 1) AS events_head;
