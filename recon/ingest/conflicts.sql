-- Conflicting duplicate keys among the rows that are neither duplicates nor broken: the
-- first in file order keeps the key, every later one is a conflict.
CREATE OR REPLACE TEMP TABLE recon_ingest_conflicts AS
SELECT _row, key
FROM (
    SELECT c._row, c.key, row_number() OVER (PARTITION BY c.key ORDER BY c._row) AS n
    FROM recon_ingest_candidates AS c
    ANTI JOIN recon_ingest_duplicates AS d USING (_row)
    WHERE c._rule IS NULL AND c.key IS NOT NULL
)
WHERE n > 1
