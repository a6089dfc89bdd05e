-- One source's rows that broke a rule (exact duplicates aside), then the later rows of a
-- conflicting key. Reasons are stable texts (reports count rows per reason); the value of a
-- conflict is the key, which finds the row that kept it.
INSERT INTO quarantine
SELECT $source, t._file, t._line, list_extract($rule_columns, t._rule), t._value,
       list_extract($rule_reasons, t._rule)
FROM {table} AS t
WHERE t._rule IS NOT NULL
  AND t._row NOT IN (SELECT _row FROM recon_ingest_duplicates)
UNION ALL
SELECT $source, t._file, t._line, $key, c.key,
       'conflicting duplicate key: an earlier row has this ' || $key || ' with other content'
FROM recon_ingest_conflicts AS c
JOIN {table} AS t ON t._row = c._row
ORDER BY 2, 3
