-- corrections.csv: proposed balanced entries, grouped by the exception they correct. Text
-- cells through safe_cell (recon/safety.sql); the order is by the raw values. Account ids
-- masked when $mask (recon.privacy).
COPY (
    SELECT
        safe_cell(c.correction_id) AS correction_id,
        safe_cell(c.exception_id) AS exception_id,
        safe_cell(c.txn_ref) AS txn_ref,
        safe_cell(mask_id(c.account_id, $mask)) AS account_id,
        safe_cell(c.direction) AS direction,
        publish_money(c.amount) AS amount,
        safe_cell(c.currency) AS currency,
        safe_cell(c.narrative) AS narrative
    FROM corrections AS c
    ORDER BY c.exception_id, c.correction_id
) TO $path (FORMAT csv, HEADER true);
