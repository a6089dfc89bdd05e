-- goodwill: $amount per transfer (once, however many findings point at it), or $percent_num/$percent_den percent of its amount (whole
-- cents, half up); a customer's goodwill in one currency stops at $cap_per_customer, taken
-- in exception id order.
INSERT INTO compensation_lines
WITH raw AS (
    SELECT *,
           CASE WHEN $amount::DECIMAL(18, 2) IS NOT NULL THEN $amount::DECIMAL(18, 2)
                ELSE ((2 * (coalesce(amount, 0) * 100)::HUGEINT * $percent_num::HUGEINT
                       + 100 * $percent_den::HUGEINT)
                      // (200 * $percent_den::HUGEINT))::DECIMAL(38, 0) * 0.01
           END AS wanted
    FROM _cp_match
    WHERE coalesce(customer_id, '') <> '' AND first_of_transfer
),
running AS (
    SELECT *,
           coalesce(sum(wanted) OVER (
               PARTITION BY customer_id, currency ORDER BY exception_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM raw
),
paid AS (
    SELECT *,
           CASE WHEN $cap::DECIMAL(18, 2) IS NULL THEN wanted
                ELSE least(wanted, greatest(0, $cap::DECIMAL(18, 2) - before)) END AS pay
    FROM running
)
SELECT exception_id, customer_id, currency, $position, $policy, NULL,
       CASE WHEN $amount::DECIMAL(18, 2) IS NOT NULL
            THEN format('goodwill {} per case', $amount::DECIMAL(18, 2)::VARCHAR)
            ELSE format('goodwill {}% of {} {}', $percent_text, amount::VARCHAR, currency) END
       || CASE WHEN pay < wanted
               THEN format(', capped at {} per customer', $cap::DECIMAL(18, 2)::VARCHAR)
               ELSE '' END,
       pay
FROM paid
WHERE pay > 0;
