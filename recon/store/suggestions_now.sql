-- Inside the run's write transaction, after the remedies: what this run suggests, from its
-- `corrections` (balanced legs) and the compensation of its `exceptions` (explained line by
-- line under [[compensation.policies]]: compensation_explained), for the
-- exceptions it saw itself (last_seen_run). An exception of another day keeps what its own
-- run computed: this run lacks its transfer's rows, so would see no counterparty.
CREATE OR REPLACE TEMP TABLE _sg_now AS
WITH seen AS (
    SELECT exception_id, type, subtype, txn_ref, customer_id, account_id, amount, currency,
           proposed_action, compensation
    FROM exceptions
    WHERE last_seen_run = $run_id
),
pairs AS (
    SELECT exception_id,
           max(account_id) FILTER (WHERE direction = 'D') AS debit_account,
           max(account_id) FILTER (WHERE direction = 'C') AS credit_account,
           max(amount) AS amount,
           max(currency) AS currency
    FROM corrections
    GROUP BY exception_id
),
planned AS (
    SELECT s.exception_id, s.type, s.subtype, s.txn_ref, s.customer_id, s.proposed_action,
           p.amount, p.currency, p.debit_account, p.credit_account,
           coalesce(s.account_id, $suspense_prefix || p.currency) AS customer_account
    FROM seen AS s
    JOIN pairs AS p USING (exception_id)
),
alternatives AS (
    -- the run's own pair; a debit without its credit names its way: POST_CREDIT to the
    -- payee, or REVERSE_DEBIT when no payee is known (the credit goes back to the customer)
    SELECT *,
           CASE
               WHEN proposed_action <> 'POST_CREDIT_OR_REVERSE' THEN proposed_action
               WHEN credit_account = customer_account THEN 'REVERSE_DEBIT'
               ELSE 'POST_CREDIT'
           END AS alternative
    FROM planned
    UNION ALL
    -- ... and the other way for it, kept apart: give the debit back to the customer
    SELECT * REPLACE (customer_account AS credit_account), 'REVERSE_DEBIT' AS alternative
    FROM planned
    WHERE proposed_action = 'POST_CREDIT_OR_REVERSE' AND credit_account <> customer_account
)
SELECT 'CR-' || replace(exception_id, 'EX-', '') || '-' || alternative AS suggestion_id,
       exception_id,
       'CORRECTION' AS kind,
       alternative,
       amount::DECIMAL(18, 2) AS amount,
       currency,
       customer_id,
       json_object(
           'finding', type || '/' || subtype,
           'txn_ref', txn_ref,
           'action', proposed_action,
           'legs', json_array(
               json_object('direction', 'D', 'account_id', debit_account,
                           'amount', amount::VARCHAR),
               json_object('direction', 'C', 'account_id', credit_account,
                           'amount', amount::VARCHAR)
           )
       ) AS detail
FROM alternatives
UNION ALL
SELECT 'CP-' || replace(exception_id, 'EX-', ''),
       exception_id,
       'COMPENSATION',
       CASE WHEN x.exception_id IS NULL THEN 'INTEREST' ELSE 'POLICIES' END,
       compensation::DECIMAL(18, 2),
       currency,
       customer_id,
       CASE WHEN x.exception_id IS NULL THEN json_object(
           'finding', type || '/' || subtype,
           'txn_ref', txn_ref,
           'customer_id', customer_id,
           'held_amount', amount::VARCHAR,
           'annual_rate', $annual_rate::VARCHAR,
           'cutoff', $cutoff::VARCHAR,
           'basis', 'interest'
               || coalesce(' at ' || $annual_rate::VARCHAR || ' a year', '')
               || format(' on {} {} held until the cutoff {}', amount::VARCHAR, currency,
                         $cutoff::VARCHAR)
               || CASE WHEN subtype = 'GATEWAY_DOUBLE_CHARGE'
                       THEN ', and the extra charge''s gateway fee' ELSE '' END
       )
       -- under [[compensation.policies]]: each policy's line (recon/remedies/policies.py)
       ELSE json_object(
           'finding', type || '/' || subtype,
           'txn_ref', txn_ref,
           'customer_id', customer_id,
           'held_amount', amount::VARCHAR,
           'cutoff', $cutoff::VARCHAR,
           'basis', x.basis,
           'lines', x.lines
       ) END
FROM seen
LEFT JOIN (
    SELECT exception_ids AS exception_id,
           string_agg(policy || ': ' || basis, '; ' ORDER BY position) AS basis,
           to_json(list({'policy': policy, 'days': days, 'basis': basis,
                         'amount': compensation::VARCHAR} ORDER BY position)) AS lines
    FROM compensation_explained
    GROUP BY exception_ids
) AS x USING (exception_id)
WHERE compensation > 0 AND currency IS NOT NULL;
