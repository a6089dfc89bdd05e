-- Rows that may be exact duplicates or conflicting keys: those whose key hash occurs more
-- than once (a hash collision only adds a candidate, never loses one), and those with no key.
CREATE OR REPLACE TEMP TABLE recon_ingest_candidates AS
SELECT _row, _rule, {key} AS key, {names}, _unparsed
FROM {table}
WHERE {key} IS NULL
   OR hash({key}) IN (SELECT hash({key}) AS h FROM {table} GROUP BY h HAVING count(*) > 1)
