-- One exception's comments: its COMMENTED events (the note is the text), oldest first.
SELECT event_no, changed_at, actor, note AS text
FROM recon_store.events
WHERE exception_id = $exception_id AND action = 'COMMENTED'
ORDER BY event_no;
