-- compensation.csv: one row per customer and currency. The exception_ids expression is ours
-- (the column as text, or a list joined with ';').
COPY (
    SELECT
        customer_id, currency,
        publish_money(compensation) AS compensation,
        {exception_ids} AS exception_ids
    FROM compensation
    ORDER BY customer_id, currency
) TO $path (FORMAT csv, HEADER true);
