-- Proposed correcting entries (docs/findings.md, "Corrections"): for each open exception
-- whose action moves money, one debit leg and one credit leg of the same amount and
-- currency, so every correction balances. Nothing here is ever posted.
CREATE OR REPLACE TEMP TABLE corrections AS
WITH planned AS (
    SELECT e.exception_id, e.type, e.subtype, e.txn_ref, e.amount, e.currency,
           e.proposed_action,
           coalesce(e.account_id, $suspense_prefix || e.currency) AS customer_account,
           coalesce(p.credit_account, $suspense_prefix || e.currency) AS counter_account,
           coalesce(p.credit_account, p.payee) AS payee_account,
           $suspense_prefix || e.currency AS suspense_account
    FROM exceptions AS e
    LEFT JOIN _rm_parties AS p ON p.txn_ref = e.txn_ref
    WHERE e.amount > 0
      AND e.currency IS NOT NULL
      AND e.proposed_action IN (
          'REVERSE_DEBIT', 'REVIEW_REFUND', 'RECALL_PAYMENT', 'POST_CREDIT_OR_REVERSE',
          'POST_ENTRIES'
      )
),
legs AS (
    SELECT *,
           CASE
               -- give the customer back money taken in error, from where it went
               WHEN proposed_action IN ('REVERSE_DEBIT', 'REVIEW_REFUND', 'RECALL_PAYMENT')
                   THEN counter_account
               -- the unmatched debit sits in suspense: move it to the payee
               WHEN proposed_action = 'POST_CREDIT_OR_REVERSE' THEN suspense_account
               -- the missing debit of a payment that went out
               ELSE customer_account
           END AS debit_account,
           CASE
               WHEN proposed_action IN ('REVERSE_DEBIT', 'REVIEW_REFUND', 'RECALL_PAYMENT')
                   THEN customer_account
               -- no payee known: reverse to the customer instead
               WHEN proposed_action = 'POST_CREDIT_OR_REVERSE'
                   THEN coalesce(payee_account, customer_account)
               ELSE coalesce(payee_account, suspense_account)
           END AS credit_account
    FROM planned
),
entries AS (
    SELECT exception_id, type, subtype, txn_ref, amount, currency, proposed_action,
           1 AS leg, 'D' AS direction, debit_account AS account_id
    FROM legs
    UNION ALL
    SELECT exception_id, type, subtype, txn_ref, amount, currency, proposed_action,
           2 AS leg, 'C' AS direction, credit_account AS account_id
    FROM legs
)
SELECT 'CR-' || replace(exception_id, 'EX-', '') || '-' || leg AS correction_id,
       exception_id,
       txn_ref,
       account_id,
       direction,
       amount,
       currency,
       format(
           '{} for {}/{} {} on {}: {} {} {} {} (proposed, not posted)',
           proposed_action, type, subtype, exception_id, coalesce(txn_ref, '-'),
           CASE direction WHEN 'D' THEN 'debit' ELSE 'credit' END, account_id,
           amount::VARCHAR, currency
       ) AS narrative
FROM entries
ORDER BY exception_id, leg;
