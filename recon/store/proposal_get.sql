-- One proposal, as proposals.py reads it (see proposals_list.sql for the columns).
SELECT proposal_id, exception_id, kind, state, amount, currency, detail, proposed_by,
       proposed_at, decided_by, decided_at, decision_note, posted_by, posted_at, posting_ref,
       version, suggestion_id, suggestion_revision,
       (SELECT arg_max(e.actor, e.event_no) FROM recon_store.events AS e
        WHERE e.exception_id = p.exception_id AND e.action = 'RESOLVED') AS resolved_by
FROM recon_store.proposals AS p
WHERE proposal_id = $proposal_id;
