-- Proposals matching the filters (a NULL filter matches all), in the order they were made;
-- one by `$proposal_id` (proposals._get).
-- `$unposted_before`: only APPROVED ones decided before then (approved but not posted).
-- `resolved_by`: who last resolved its exception (as proposal_context.sql), whom the
-- maker-checker rule refuses as approver.
SELECT proposal_id, exception_id, kind, state, amount, currency, detail, proposed_by,
       proposed_at, decided_by, decided_at, decision_note, posted_by, posted_at, posting_ref,
       version, suggestion_id, suggestion_revision,
       (SELECT arg_max(e.actor, e.event_no) FROM recon_store.events AS e
        WHERE e.exception_id = p.exception_id AND e.action = 'RESOLVED') AS resolved_by
FROM recon_store.proposals AS p
WHERE ($states IS NULL OR list_contains($states, state))
  AND ($kind IS NULL OR kind = $kind)
  AND ($exception_id IS NULL OR exception_id = $exception_id)
  AND ($unposted_before IS NULL OR (state = 'APPROVED' AND decided_at < $unposted_before))
  AND ($proposal_id::VARCHAR IS NULL OR proposal_id = $proposal_id::VARCHAR)
ORDER BY proposal_no;
