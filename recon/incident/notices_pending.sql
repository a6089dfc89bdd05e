-- The notices of one incident, channel and language still to send (PREPARED), for the
-- sending system's file.
SELECT notice_id, customer_id, channel, language, kind, content_sha256, content
FROM recon_store.notices
WHERE incident_id = $incident_id AND channel = $channel AND language = $language
  AND state = 'PREPARED'
ORDER BY customer_id, notice_id;
