-- The incident's cases and transfers for the regulator's report (regulator_figures.py): each
-- case once, each transfer once (its largest amount; a case without txn_ref is a transfer of
-- its own), the customer's type from _rr_customer_types when the bank gave one.
CREATE OR REPLACE TEMP TABLE _rr_cases AS
SELECT e.exception_id, e.customer_id, coalesce(e.txn_ref, e.exception_id) AS transfer,
       e.type, e.subtype, e.amount, e.currency, coalesce(e.channel, 'UNKNOWN') AS channel,
       e.event_at, e.status, e.closed_at, coalesce(e.compensation, 0) AS compensation,
       e.resolution_code,
       coalesce(ct.customer_type, 'not given') AS customer_type,
       e.subtype IN ('SAME_REQUEST', 'SUSPECTED_RETRY', 'GATEWAY_DOUBLE_CHARGE',
                     'DEBIT_WITHOUT_CREDIT', 'BOOKED_GATEWAY_FAILED', 'STUCK_PENDING')
           AS holds_money
FROM recon_store.exceptions AS e
JOIN recon_store.incident_tags AS t USING (exception_id)
LEFT JOIN _rr_customer_types AS ct ON ct.customer_id = e.customer_id
WHERE t.incident_id = $incident_id;
CREATE OR REPLACE TEMP TABLE _rr_transfers AS
SELECT transfer,
       any_value(customer_id ORDER BY exception_id) AS customer_id,
       any_value(currency ORDER BY exception_id) AS currency,
       any_value(channel ORDER BY exception_id) AS channel,
       any_value(customer_type ORDER BY exception_id) AS customer_type,
       max(amount) AS amount,
       min(event_at) AS first_at,
       bool_or(status IN ('OPEN', 'ASSIGNED')) AS open,
       bool_or(holds_money) AS holds_money,
       max(amount) FILTER (WHERE holds_money) AS held_amount,
       CASE WHEN bool_or(status IN ('OPEN', 'ASSIGNED')) THEN NULL ELSE max(closed_at) END
           AS released_at
FROM _rr_cases
GROUP BY transfer;
