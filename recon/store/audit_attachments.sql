-- Every attachment with the SHA-256 of its content now and the event that recorded it
-- (audit.verify; only on a store of schema 4 or later, which has attachments).
SELECT a.attachment_id, a.exception_id, a.name, a.sha256, sha256(a.content) AS actual,
       e.exception_id AS event_exception_id, e.action, e.note
FROM recon_store.attachments AS a
LEFT JOIN recon_store.events AS e USING (event_no)
ORDER BY a.attachment_id;
