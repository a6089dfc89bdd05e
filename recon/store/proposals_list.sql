-- Proposals matching the filters (a NULL filter matches all), in the order they were made.
-- `$unposted_before`: only APPROVED ones decided before then (approved but not posted).
SELECT proposal_id, exception_id, kind, state, amount, currency, detail, proposed_by,
       proposed_at, decided_by, decided_at, decision_note, posted_by, posted_at, posting_ref,
       version, suggestion_id, suggestion_revision
FROM recon_store.proposals
WHERE ($states IS NULL OR list_contains($states, state))
  AND ($kind IS NULL OR kind = $kind)
  AND ($exception_id IS NULL OR exception_id = $exception_id)
  AND ($unposted_before IS NULL OR (state = 'APPROVED' AND decided_at < $unposted_before))
ORDER BY proposal_no;
