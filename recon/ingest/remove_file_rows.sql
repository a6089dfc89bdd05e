-- Forget what was read from one file (it is read again record by record): its rows are
-- those from `row_base` on, below the next file's.
DELETE FROM {table}
WHERE _row > $row_base AND _row < $row_base + $row_span
