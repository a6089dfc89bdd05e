-- The open exceptions with the most money at stake: what an analyst looks at first. Customer
-- ids masked when $mask (recon.privacy: the artifacts are shared).
SELECT
    exception_id, type, subtype, txn_ref,
    mask_id(customer_id, $mask) AS customer_id,
    amount, currency, proposed_action
FROM exceptions
ORDER BY amount DESC NULLS LAST, exception_id
LIMIT $limit
