-- Quarantined rows per source, column and reason, with the first example (by file, line)
-- an analyst can look up. A row without a column is a line that could not be split into
-- fields: its value is the whole raw line (columns outside the contract too), never shown;
-- the example is its SHA-256. Values of id columns ($id_columns) are masked when $mask.
SELECT
    source,
    "column",
    reason,
    count(*) AS n,
    arg_min(file, (file, line)) AS example_file,
    arg_min(line, (file, line)) AS example_line,
    CASE
        WHEN "column" IS NULL
            THEN 'sha256:' || sha256(trim(arg_min(value, (file, line)), chr(13) || chr(10)))
        WHEN list_contains($id_columns, "column") THEN mask_id(arg_min(value, (file, line)), $mask)
        ELSE arg_min(value, (file, line))
    END AS example_value
FROM quarantine
GROUP BY source, "column", reason
ORDER BY source, n DESC, "column", reason;
