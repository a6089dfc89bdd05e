-- What a proposal's checks need to know about its exception: its status, and who resolved
-- it last (from the audit log: the actor of its latest RESOLVED event).
SELECT s.status,
       (SELECT arg_max(actor, event_no) FROM recon_store.events AS e
        WHERE e.exception_id = s.exception_id AND e.action = 'RESOLVED') AS resolver,
       (SELECT coalesce(max(proposal_no), 0) + 1 FROM recon_store.proposals) AS next_no
FROM recon_store.exceptions AS s
WHERE s.exception_id = $exception_id;
