-- Compensation per currency: decided (the runs' figures for cases that were breaks),
-- approved and paid (maker-checker proposals, each case's latest), and to how many customers.
WITH proposed AS (
    SELECT exception_id,
           arg_max(amount, proposal_no) AS amount,
           arg_max(state, proposal_no) AS state
    FROM recon_store.proposals
    WHERE kind = 'COMPENSATION' AND state IN ('APPROVED', 'POSTED')
    GROUP BY exception_id
)
SELECT c.currency,
       count(DISTINCT c.customer_id) FILTER (WHERE c.compensation > 0) AS customers,
       coalesce(sum(c.compensation) FILTER (
           WHERE coalesce(c.resolution_code, '') NOT IN ('FALSE_POSITIVE', 'DUPLICATE_OF_OTHER')
       ), 0) AS decided,
       coalesce(sum(p.amount), 0) AS approved,
       coalesce(sum(p.amount) FILTER (WHERE p.state = 'POSTED'), 0) AS paid
FROM _rr_cases AS c
LEFT JOIN proposed AS p USING (exception_id)
GROUP BY c.currency
ORDER BY c.currency;
