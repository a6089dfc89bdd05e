-- One Parquet file as text (the same parsing as CSV follows): `_ordinal` is the 1-based row.
-- Columns are picked by position (#n), so the file's own names never enter the SQL text.
SELECT file_row_number + 1 AS _ordinal, {columns}
FROM read_parquet($path, file_row_number = true)
