-- The $limit open exceptions with the most money at stake; account and customer ids masked
-- when $mask (recon.privacy).
SELECT
    exception_id, type, subtype, txn_ref, related_txn_ref,
    mask_id(customer_id, $mask) AS customer_id,
    mask_id(account_id, $mask) AS account_id,
    amount, currency, evidence, proposed_action, compensation, status, channel,
    severity, sla_breached, event_at
FROM publish_cases
ORDER BY amount DESC NULLS LAST, exception_id
LIMIT $limit;
