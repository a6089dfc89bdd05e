-- How many cases the store has tagged with the incident (incident_cases.py).
SELECT count(*) FROM recon_store.incident_tags WHERE incident_id = $incident_id;
