-- The open exceptions with the most money at stake: what an analyst looks at first.
SELECT exception_id, type, subtype, txn_ref, customer_id, amount, currency, proposed_action
FROM exceptions
ORDER BY amount DESC NULLS LAST, exception_id
LIMIT $limit
