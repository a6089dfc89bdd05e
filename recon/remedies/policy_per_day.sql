-- per_day_after_tat: $per_day for each whole day past the turnaround ($tat_days after the
-- money was held, or the transfer's event), at most $cap per transfer (NULL: no cap), once
-- per transfer.
INSERT INTO compensation_lines
WITH late AS (
    SELECT *, greatest(0, days_since - $tat_days::HUGEINT) AS days
    FROM _cp_match
    WHERE first_of_transfer
)
SELECT exception_id, customer_id, currency, $position, $policy, days::INTEGER,
       format('{} a day for {} day(s) past T+{} ({} day(s) since {}){}',
              $per_day::DECIMAL(18, 2)::VARCHAR, days, $tat_days, days_since,
              strftime(since AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
              CASE WHEN $cap::DECIMAL(18, 2) IS NOT NULL
                        AND $per_day::DECIMAL(18, 2) * days > $cap::DECIMAL(18, 2)
                   THEN ', capped at ' || $cap::DECIMAL(18, 2)::VARCHAR ELSE '' END),
       least($per_day::DECIMAL(18, 2) * days,
             coalesce($cap::DECIMAL(18, 2), $per_day::DECIMAL(18, 2) * days))
FROM late
WHERE days > 0 AND $per_day::DECIMAL(18, 2) > 0;
