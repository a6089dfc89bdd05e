-- Inside the one write transaction, while the old statuses are still in the temp tables: the
-- run's audit events, numbered after the store's last one, staged for audit.py to chain and
-- append (detected, then reopened, then healed; by exception id within each).
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT
    coalesce((SELECT max(event_no) FROM recon_store.events), 0)
        + row_number() OVER (ORDER BY kind, exception_id) AS event_no,
    exception_id,
    $now::TIMESTAMPTZ AS changed_at,
    $actor::VARCHAR AS actor,
    $run_id::VARCHAR AS run_id,
    action,
    from_status,
    to_status,
    note,
    $os_user::VARCHAR AS os_user
FROM (
    SELECT 1 AS kind, exception_id, 'DETECTED' AS action, NULL::VARCHAR AS from_status,
           'OPEN' AS to_status, 'found by run ' || $run_id AS note
    FROM _store_found WHERE change = 'NEW'
    UNION ALL
    SELECT 2, exception_id, 'REOPENED', old_status, 'OPEN', 'found again by run ' || $run_id
    FROM _store_found WHERE change = 'REOPENED'
    UNION ALL
    SELECT 3, exception_id, 'SELF_HEALED', old_status, 'SELF_HEALED',
           'no longer found by run ' || $run_id || ', which evaluated its transfer'
    FROM _store_healed
);
