-- A new attachment, after its ATTACHED event was appended (the last event, whose number it
-- keeps); returns its id, numbered after the store's last one.
INSERT INTO recon_store.attachments
SELECT
    coalesce((SELECT max(attachment_id) FROM recon_store.attachments), 0) + 1,
    $exception_id, $name, $content_type, $size, $sha256, $content::BLOB, $actor, $now,
    (SELECT max(event_no) FROM recon_store.events)
RETURNING attachment_id;
