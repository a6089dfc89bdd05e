-- The valid rows of one provider file keep the provider file's own line (NULL for an XML
-- element), not the line of the canonical copy they were read from.
UPDATE {table} AS t
SET _line = m.line
FROM (
    SELECT unnest($copy_lines::BIGINT[]) AS copy_line, unnest($lines::BIGINT[]) AS line
) AS m
WHERE t._file = $path AND t._line = m.copy_line
