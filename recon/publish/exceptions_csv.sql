-- exceptions.csv: contract columns in contract order, then context and aging; money as plain
-- decimals, timestamps ISO 8601 with offset; stable order for diffing two runs.
COPY (
    SELECT
        exception_id, type, subtype, txn_ref, related_txn_ref, customer_id, account_id,
        publish_money(amount) AS amount,
        currency,
        publish_iso(detected_at) AS detected_at,
        evidence, proposed_action,
        publish_money(compensation) AS compensation,
        status, first_seen_run, last_seen_run,
        publish_iso(event_at) AS event_at,
        channel,
        CAST(age_hours AS VARCHAR) AS age_hours,
        severity,
        publish_iso(sla_due_at) AS sla_due_at,
        CAST(sla_breached AS VARCHAR) AS sla_breached,
        assignee
    FROM publish_cases
    ORDER BY type, subtype, txn_ref, exception_id
) TO $path (FORMAT csv, HEADER true);
