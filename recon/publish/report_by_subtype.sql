-- Open exceptions per type, subtype and currency: how many, money at stake, what to do.
-- Money counts each transfer once per row (the largest amount its findings of that subtype
-- name); a transfer named by two subtypes is in both rows.
WITH cases AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY type, subtype, currency, txn_ref,
                CASE WHEN txn_ref IS NULL THEN exception_id END
            ORDER BY amount DESC NULLS LAST, exception_id
        ) = 1 AS holds
    FROM publish_cases
)
SELECT
    type,
    subtype,
    currency,
    count(*) AS n,
    sum(amount) FILTER (WHERE holds) AS amount,
    sum(compensation) AS compensation,
    string_agg(DISTINCT proposed_action, ', ' ORDER BY proposed_action) AS actions
FROM cases
GROUP BY type, subtype, currency
ORDER BY type, subtype, currency;
