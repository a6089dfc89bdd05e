-- A partitioned run's bucket inputs (buckets.py): each source's columns that the per-transfer
-- checks read, cut by bucket = hash(txn_ref) % $buckets, written once as Parquet so a bucket
-- reads only its own rows (on this machine or on a cluster worker). A channel request without
-- txn_ref goes with the transfer its ledger legs name (`_fb_request_txn`). The empty files give
-- a bucket without rows its columns. The cross-transfer tables are small and go whole.
COPY (
    SELECT entry_id, txn_ref, posted_at, direction, status, amount, account_id, reversal_of,
           hash(txn_ref) % $buckets AS bucket
    FROM ledger
) TO $ledger_dir (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE);

COPY (
    SELECT entry_id, txn_ref, posted_at, direction, status, amount, account_id, reversal_of
    FROM ledger LIMIT 0
) TO $ledger_empty (FORMAT parquet);

COPY (
    SELECT c.request_id, c.txn_ref, c.requested_at,
           coalesce(hash(coalesce(c.txn_ref, rt.txn_ref)) % $buckets, 0) AS bucket
    FROM channel AS c
    LEFT JOIN _fb_request_txn AS rt ON rt.request_id = c.request_id
) TO $channel_dir (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE);

COPY (SELECT request_id, txn_ref, requested_at FROM channel LIMIT 0)
TO $channel_empty (FORMAT parquet);

COPY (
    SELECT gateway_ref, txn_ref, amount, status, gateway_at, invoice_required,
           coalesce(hash(txn_ref) % $buckets, 0) AS bucket
    FROM gateway
) TO $gateway_dir (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE);

COPY (
    SELECT gateway_ref, txn_ref, amount, status, gateway_at, invoice_required FROM gateway LIMIT 0
) TO $gateway_empty (FORMAT parquet);

COPY (
    SELECT invoice_id, txn_ref, amount, status, issued_at,
           coalesce(hash(txn_ref) % $buckets, 0) AS bucket
    FROM invoices
) TO $invoices_dir (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE);

COPY (SELECT invoice_id, txn_ref, amount, status, issued_at FROM invoices LIMIT 0)
TO $invoices_empty (FORMAT parquet);

COPY (SELECT * FROM _fb_reversed) TO $reversed_file (FORMAT parquet);

COPY (SELECT * FROM _fb_dup) TO $dup_file (FORMAT parquet);

COPY (SELECT * FROM _fb_request_txn) TO $request_txn_file (FORMAT parquet);
