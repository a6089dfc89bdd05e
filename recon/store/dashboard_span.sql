-- The time span the findings cover (by event_at), to choose the timeline's bucket size.
SELECT min(event_at) AS first_at, max(event_at) AS last_at
FROM recon_store.exceptions;
