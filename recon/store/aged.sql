-- Every stored exception with its age, severity and SLA as of $as_of (CONTRACT.md has no
-- rule: see docs/store.md). Age runs from detected_at to $as_of, or to closed_at once closed.
-- Severity by amount; the SLA clock starts at detected_at.
CREATE OR REPLACE TEMP TABLE _store_aged AS
WITH graded AS (
    SELECT
        e.*,
        CASE
            WHEN e.amount >= $high_amount THEN 'HIGH'
            WHEN e.amount >= $medium_amount THEN 'MEDIUM'
            ELSE 'LOW'
        END AS severity,
        coalesce(e.closed_at, $as_of::TIMESTAMPTZ) AS aged_to
    FROM recon_store.exceptions AS e
),
timed AS (
    SELECT
        g.*,
        g.detected_at + to_hours(
            CASE g.severity
                WHEN 'HIGH' THEN $high_hours
                WHEN 'MEDIUM' THEN $medium_hours
                ELSE $low_hours
            END::BIGINT
        ) AS sla_due_at
    FROM graded AS g
)
SELECT
    t.* EXCLUDE (aged_to),
    (greatest(date_diff('second', t.detected_at, t.aged_to), 0) / 3600)::DECIMAL(12, 1)
        AS age_hours,
    t.aged_to > t.sla_due_at AS sla_breached
FROM timed AS t;
