-- Under [[compensation.policies]]: what each customer is owed, one line per open exception
-- and policy, with its days and basis (compensation.csv). An exception this run did not price
-- (found by an earlier run) keeps what its own run computed, as one line saying so.
CREATE OR REPLACE TEMP TABLE compensation_explained AS
SELECT coalesce(e.customer_id, '') AS customer_id,
       e.currency,
       coalesce(l.compensation, e.compensation)::DECIMAL(38, 2) AS compensation,
       e.exception_id AS exception_ids,
       coalesce(l.policy, 'as computed') AS policy,
       l.days,
       coalesce(l.basis, 'computed by run ' || e.last_seen_run) AS basis,
       coalesce(l.position, 0) AS position
FROM exceptions AS e
LEFT JOIN compensation_lines AS l
    ON l.exception_id = e.exception_id
WHERE e.compensation > 0
ORDER BY customer_id, currency, exception_ids, position;
