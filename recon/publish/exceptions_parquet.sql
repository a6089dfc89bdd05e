-- exceptions.parquet: the same rows and order as exceptions.csv with native types
-- (DECIMAL(18,2) money, TIMESTAMPTZ times) for tools that read Parquet; account and
-- customer ids masked when $mask (recon.privacy).
COPY (
    SELECT * REPLACE (
        mask_id(customer_id, $mask) AS customer_id,
        mask_id(account_id, $mask) AS account_id
    )
    FROM publish_cases
    ORDER BY type, subtype, txn_ref, exception_id
) TO $path (FORMAT parquet);
