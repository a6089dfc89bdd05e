-- One proposal, as proposals.py reads it (see proposals_list.sql for the columns).
SELECT proposal_id, exception_id, kind, state, amount, currency, detail, proposed_by,
       proposed_at, decided_by, decided_at, decision_note, posted_by, posted_at, posting_ref,
       version, suggestion_id, suggestion_revision
FROM recon_store.proposals
WHERE proposal_id = $proposal_id;
