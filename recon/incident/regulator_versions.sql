-- The latest kept version of one incident's report.
SELECT version, content_sha256, figures::VARCHAR
FROM recon_store.incident_reports
WHERE incident_id = $incident_id
ORDER BY version DESC
LIMIT 1;
