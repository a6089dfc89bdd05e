-- corrections.csv: proposed balanced entries, grouped by the exception they correct.
COPY (
    SELECT
        correction_id, exception_id, txn_ref, account_id, direction,
        publish_money(amount) AS amount,
        currency, narrative
    FROM corrections
    ORDER BY exception_id, correction_id
) TO $path (FORMAT csv, HEADER true);
