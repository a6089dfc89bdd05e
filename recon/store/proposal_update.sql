-- A decision or a posting (its event is already appended): the new state, one version more.
UPDATE recon_store.proposals SET
    state = $state,
    decided_by = coalesce($decided_by, decided_by),
    decided_at = coalesce($decided_at::TIMESTAMPTZ, decided_at),
    decision_note = coalesce($decision_note, decision_note),
    posted_by = $posted_by,
    posted_at = $posted_at::TIMESTAMPTZ,
    posting_ref = $posting_ref,
    version = version + 1
WHERE proposal_id = $proposal_id AND version = $version;
