-- Since when an exception's holder has it: its last ASSIGNED or REASSIGNED event.
SELECT changed_at FROM recon_store.events
WHERE exception_id = $id AND action IN ('ASSIGNED', 'REASSIGNED')
ORDER BY event_no DESC
LIMIT 1;
