-- Conflicting duplicate keys among the rows that are neither duplicates nor broken: the
-- first in file order keeps the key, every later one is a conflict.
CREATE OR REPLACE TEMP TABLE recon_ingest_conflicts AS
SELECT _row, key, kept_row
FROM (
    SELECT c._row, c.key,
           row_number() OVER by_key AS n,
           first_value(c._row) OVER by_key AS kept_row
    FROM recon_ingest_candidates AS c
    ANTI JOIN recon_ingest_duplicates AS d USING (_row)
    WHERE c._rule IS NULL AND c.key IS NOT NULL
    WINDOW by_key AS (PARTITION BY c.key ORDER BY c._row)
)
WHERE n > 1
