-- The notices already recorded for one incident, channel and language.
SELECT notice_id, customer_id, state
FROM recon_store.notices
WHERE incident_id = $incident_id AND channel = $channel AND language = $language;
