-- compensation.csv: one row per customer and currency. The exception_ids expression is ours
-- (the column as text, or a list joined with ';'). Text cells through safe_cell
-- (recon/safety.sql); the order is by the raw values. Customer ids masked when $mask.
COPY (
    SELECT
        safe_cell(mask_id(c.customer_id, $mask)) AS customer_id,
        safe_cell(c.currency) AS currency,
        publish_money(c.compensation) AS compensation,
        safe_cell({exception_ids}) AS exception_ids
    FROM compensation AS c
    ORDER BY c.customer_id, c.currency
) TO $path (FORMAT csv, HEADER true);
