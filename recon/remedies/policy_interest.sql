-- interest: held * rate * days / day_basis in whole cents, rounded half up, from integers
-- (as the default, recon/findings/findings.sql); days = max(min_days, days held).
INSERT INTO compensation_lines
WITH held AS (
    SELECT *, greatest($min_days::HUGEINT, days_since) AS days
    FROM _cp_match
    WHERE held_amount > 0
)
SELECT exception_id, customer_id, currency, $position, $policy, days::INTEGER,
       format('interest at {} a year on {} {} held {} day(s), {}-day year',
              $rate_text, held_amount::VARCHAR, currency, days, $day_basis),
       ((2 * (held_amount * 100)::HUGEINT * $rate_num::HUGEINT * days
           + $rate_den::HUGEINT * $day_basis::HUGEINT)
        // (2 * $rate_den::HUGEINT * $day_basis::HUGEINT))::DECIMAL(38, 0) * 0.01
FROM held;
