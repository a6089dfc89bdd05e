-- exceptions.csv: contract columns in contract order, then context and aging; money as plain
-- decimals, timestamps ISO 8601 with offset; stable order for diffing two runs (by the raw
-- values, as exceptions.parquet). Every text cell goes through safe_cell (recon/safety.sql):
-- safe to open in a spreadsheet. Account and customer ids masked when $mask (recon.privacy).
COPY (
    SELECT
        safe_cell(c.exception_id) AS exception_id,
        safe_cell(c.type) AS type,
        safe_cell(c.subtype) AS subtype,
        safe_cell(c.txn_ref) AS txn_ref,
        safe_cell(c.related_txn_ref) AS related_txn_ref,
        safe_cell(mask_id(c.customer_id, $mask)) AS customer_id,
        safe_cell(mask_id(c.account_id, $mask)) AS account_id,
        publish_money(c.amount) AS amount,
        safe_cell(c.currency) AS currency,
        publish_iso(c.detected_at) AS detected_at,
        safe_cell(c.evidence) AS evidence,
        safe_cell(c.proposed_action) AS proposed_action,
        publish_money(c.compensation) AS compensation,
        safe_cell(c.status) AS status,
        safe_cell(c.first_seen_run) AS first_seen_run,
        safe_cell(c.last_seen_run) AS last_seen_run,
        publish_iso(c.event_at) AS event_at,
        safe_cell(c.channel) AS channel,
        CAST(c.age_hours AS VARCHAR) AS age_hours,
        safe_cell(c.severity) AS severity,
        publish_iso(c.sla_due_at) AS sla_due_at,
        CAST(c.sla_breached AS VARCHAR) AS sla_breached,
        safe_cell(c.assignee) AS assignee
    FROM publish_cases AS c
    ORDER BY c.type, c.subtype, c.txn_ref, c.exception_id
) TO $path (FORMAT csv, HEADER true);
