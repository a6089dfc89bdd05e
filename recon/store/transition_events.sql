-- The analysts' changes' audit events, numbered after the store's last one in their order,
-- staged for audit.py to chain and append before transition.sql writes the new states.
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT
    (SELECT coalesce(max(event_no), 0) FROM recon_store.events) + n AS event_no,
    exception_id,
    changed_at,
    actor,
    NULL::VARCHAR AS run_id,
    action,
    from_status,
    to_status,
    note,
    os_user
FROM _changes;
