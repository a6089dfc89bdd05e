-- One attachment with its content (attachments.get_attachment).
SELECT attachment_id, exception_id, name, content_type, size, sha256, content, added_by, added_at
FROM recon_store.attachments
WHERE attachment_id = $attachment_id;
