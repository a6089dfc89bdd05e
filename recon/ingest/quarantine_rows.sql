-- The staged source's rows that broke a rule, then the later rows of a conflicting key.
INSERT INTO quarantine
SELECT $source, list_extract($paths, _file_no + 1), _line,
       list_extract($rule_columns, _rule), _value, list_extract($rule_reasons, _rule)
FROM recon_ingest_stage
WHERE _rule IS NOT NULL
UNION ALL
SELECT $source, list_extract($paths, _file_no + 1), _line, $key, {key}::VARCHAR,
       'conflicting duplicate ' || $key || ': other content than the row kept at '
           || list_extract($paths, _kept_file_no + 1) || ' line ' || _kept_line
FROM recon_ingest_stage
WHERE _conflict
ORDER BY 2, 3
