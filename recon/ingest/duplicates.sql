-- Exact duplicates: rows whose content (typed values, and the text of fields that did not
-- parse) equals an earlier row's in file order. The first is kept.
CREATE OR REPLACE TEMP TABLE recon_ingest_duplicates AS
SELECT _row
FROM (
    SELECT _row, row_number() OVER (PARTITION BY {names}, _unparsed ORDER BY _row) AS n
    FROM recon_ingest_candidates
)
WHERE n > 1
