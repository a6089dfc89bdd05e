-- The valid rows of the staged source into its working table, in file order.
INSERT INTO {table}
SELECT {columns}, list_extract($paths, _file_no + 1) AS _file, _line
FROM recon_ingest_stage
WHERE NOT _dup AND _rule IS NULL AND NOT _conflict
ORDER BY _file_no, _line
