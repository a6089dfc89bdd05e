-- The cases (exceptions) one incident tagged, customer by customer, with where each stands
-- now in the customer's words: UNDER_REVIEW (still open), COMPLETED (the transfer went
-- through on its own), REVERSED or CREDITED (by the correction posted, or a refund), RESOLVED
-- (closed otherwise); and the compensation decided for it (an approved or posted proposal's
-- amount, else the run's figure; nothing for a case that was no break).
WITH cases AS (
    SELECT e.exception_id, e.customer_id, e.txn_ref, e.type, e.subtype, e.amount,
           e.currency, e.event_at, e.status, e.resolution_code, e.proposed_action,
           e.compensation
    FROM recon_store.exceptions AS e
    JOIN recon_store.incident_tags AS t USING (exception_id)
    WHERE t.incident_id = $incident_id AND coalesce(e.customer_id, '') <> ''
),
posted AS (
    SELECT p.exception_id, arg_max(coalesce(s.alternative, ''), p.posted_at) AS alternative
    FROM recon_store.proposals AS p
    LEFT JOIN recon_store.suggestions AS s USING (suggestion_id)
    WHERE p.kind = 'CORRECTION' AND p.state = 'POSTED'
    GROUP BY p.exception_id
),
decided AS (
    SELECT exception_id, arg_max(amount, proposal_no) AS amount,
           bool_or(state = 'POSTED') AS paid
    FROM recon_store.proposals
    WHERE kind = 'COMPENSATION' AND state IN ('APPROVED', 'POSTED')
    GROUP BY exception_id
)
SELECT c.exception_id, c.customer_id, coalesce(c.txn_ref, c.exception_id) AS transfer,
       c.type, c.subtype, c.amount, c.currency, c.event_at, c.proposed_action,
       CASE WHEN c.status IN ('OPEN', 'ASSIGNED') THEN 'UNDER_REVIEW'
            WHEN c.status = 'SELF_HEALED' THEN 'COMPLETED'
            WHEN p.alternative IN ('REVERSE_DEBIT', 'REVIEW_REFUND', 'RECALL_PAYMENT')
                 OR c.resolution_code = 'REFUNDED' THEN 'REVERSED'
            WHEN p.alternative IN ('POST_CREDIT', 'POST_ENTRIES') THEN 'CREDITED'
            ELSE 'RESOLVED' END AS state,
       CASE WHEN c.resolution_code IN ('FALSE_POSITIVE', 'DUPLICATE_OF_OTHER') THEN 0
            ELSE coalesce(d.amount, c.compensation, 0) END::DECIMAL(18, 2) AS owed,
       coalesce(d.paid, false) AS paid
FROM cases AS c
LEFT JOIN posted AS p USING (exception_id)
LEFT JOIN decided AS d USING (exception_id)
ORDER BY c.customer_id, c.event_at, transfer, c.exception_id;
