-- compensation.csv under [[compensation.policies]]: one row per exception and policy, the
-- contract's columns first (a customer's rows add up to what they are owed), then what
-- explains the row: the policy, the days paid for, the basis in words. Text through
-- safe_cell (recon/safety.sql); customer ids masked when $mask.
COPY (
    SELECT
        safe_cell(mask_id(c.customer_id, $mask)) AS customer_id,
        safe_cell(c.currency) AS currency,
        publish_money(c.compensation) AS compensation,
        safe_cell(c.exception_ids) AS exception_ids,
        safe_cell(c.policy) AS policy,
        c.days,
        safe_cell(c.basis) AS basis
    FROM compensation_explained AS c
    ORDER BY c.customer_id, c.currency, c.exception_ids, c.position
) TO $path (FORMAT csv, HEADER true);
