-- One source's rows that broke a rule (exact duplicates aside), then the later rows of a
-- conflicting key, naming the row that kept it.
INSERT INTO quarantine
SELECT $source, t._file, t._line, list_extract($rule_columns, t._rule), t._value,
       list_extract($rule_reasons, t._rule)
FROM {table} AS t
WHERE t._rule IS NOT NULL
  AND t._row NOT IN (SELECT _row FROM recon_ingest_duplicates)
UNION ALL
SELECT $source, t._file, t._line, $key, c.key,
       'conflicting duplicate ' || $key || ': other content than the row kept at '
           || k._file || ' line ' || k._line
FROM recon_ingest_conflicts AS c
JOIN {table} AS t ON t._row = c._row
JOIN {table} AS k ON k._row = c.kept_row
ORDER BY 2, 3
