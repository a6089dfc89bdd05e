-- Keep a new version of the incident's report, and its event in the audit chain.
INSERT INTO recon_store.incident_reports
VALUES ($incident_id, $version, $now, $actor, $sha256, $figures::JSON);
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT coalesce(max(event_no), 0) + 1 AS event_no,
       'incident:' || $incident_id AS exception_id,
       $now::TIMESTAMPTZ AS changed_at,
       $actor::VARCHAR AS actor,
       NULL::VARCHAR AS run_id,
       'REPORT_VERSION' AS action,
       NULL::VARCHAR AS from_status,
       'v' || $version AS to_status,
       format('regulator report {} version {}: sha256 {}', $incident_id, $version, $sha256)
           AS note,
       $os_user::VARCHAR AS os_user
FROM recon_store.events;
