-- The incidents in the store: each incident rerun tags the findings inside its window; the
-- store keeps the tags, not the window itself, so the span shown is from the first to the
-- last tagged finding's event_at.
SELECT t.incident_id, min(e.event_at) AS first_at, max(e.event_at) AS last_at,
       count(*) AS findings
FROM recon_store.incident_tags AS t
JOIN recon_store.exceptions AS e USING (exception_id)
WHERE e.event_at IS NOT NULL
GROUP BY t.incident_id
ORDER BY first_at, t.incident_id;
