-- One exception's attachments, without their content, oldest first.
SELECT attachment_id, name, content_type, size, sha256, added_by, added_at, event_no
FROM recon_store.attachments
WHERE exception_id = $exception_id
ORDER BY attachment_id;
