-- One event a person caused (audit.append_event: a proposal's, a user's, the approval limit's),
-- staged for audit.py to chain and append.
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT
    coalesce(max(event_no), 0) + 1 AS event_no,
    $exception_id::VARCHAR AS exception_id,
    $now::TIMESTAMPTZ AS changed_at,
    $actor::VARCHAR AS actor,
    NULL::VARCHAR AS run_id,
    $action::VARCHAR AS action,
    $from_status::VARCHAR AS from_status,
    $to_status::VARCHAR AS to_status,
    $note::VARCHAR AS note,
    $os_user::VARCHAR AS os_user
FROM recon_store.events;
