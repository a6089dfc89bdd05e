-- A partitioned run's buckets read back (buckets.py): the staged findings and the evaluated
-- transfers whole, and the transfers' facts as a view over the buckets' Parquet files (the
-- checks that follow look up few of them, so they are not loaded).
CREATE OR REPLACE VIEW _fb_txn AS
SELECT * FROM read_parquet(getvariable('recon_bucket_txn'));

CREATE OR REPLACE TABLE _fb_found AS
SELECT * FROM read_parquet($found);

CREATE OR REPLACE TABLE evaluated_txn_refs AS
SELECT * FROM read_parquet($evaluated);
