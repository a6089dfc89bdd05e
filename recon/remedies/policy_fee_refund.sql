-- fee_refund: the fee of the gateway record the finding names first (the extra charge of a
-- double charge, the failed payment of a booked one).
INSERT INTO compensation_lines
WITH named AS (
    SELECT *, regexp_extract(evidence, 'gateway:([^;]+)', 1) AS gateway_ref
    FROM _cp_match
),
fees AS (
    SELECT gateway_ref, max(fee) AS fee
    FROM gateway
    WHERE gateway_ref IN (SELECT gateway_ref FROM named)
    GROUP BY gateway_ref
)
SELECT n.exception_id, n.customer_id, n.currency, $position, $policy, NULL,
       format('fee of gateway record {} refunded', n.gateway_ref),
       g.fee
FROM named AS n
JOIN fees AS g USING (gateway_ref)
WHERE g.fee > 0;
