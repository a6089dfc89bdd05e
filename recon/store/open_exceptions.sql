-- The working table `exceptions` (docs/architecture.md): open after this run, contract
-- columns first, then what the report needs.
CREATE OR REPLACE TEMP TABLE exceptions AS
SELECT
    exception_id, type, subtype, txn_ref, related_txn_ref, customer_id, account_id, amount,
    currency, detected_at, evidence, proposed_action, compensation, status, first_seen_run,
    last_seen_run, event_at, channel, age_hours, severity, sla_due_at, sla_breached, assignee
FROM _store_aged
WHERE status IN ('OPEN', 'ASSIGNED')
ORDER BY type, subtype, txn_ref, exception_id;
