-- exceptions.parquet: the same rows and order as exceptions.csv with native types
-- (DECIMAL(18,2) money, TIMESTAMPTZ times) for tools that read Parquet.
COPY (
    SELECT *
    FROM publish_cases
    ORDER BY type, subtype, txn_ref, exception_id
) TO $path (FORMAT parquet);
