-- Migration to schema 3, once the events are linked: each existing run seals the last event
-- stamped no later than the run finished (a run's own events carry its finish time).
UPDATE recon_store.runs AS r SET events_head = (
    SELECT e.hash FROM recon_store.events AS e
    WHERE e.changed_at <= r.finished_at
    ORDER BY e.event_no DESC
    LIMIT 1
);
