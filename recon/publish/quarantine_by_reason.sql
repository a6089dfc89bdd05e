-- Quarantined rows per source, column and reason, with the first example (by file, line)
-- an analyst can look up.
SELECT
    source,
    "column",
    reason,
    count(*) AS n,
    arg_min(file, (file, line)) AS example_file,
    arg_min(line, (file, line)) AS example_line,
    arg_min(value, (file, line)) AS example_value
FROM quarantine
GROUP BY source, "column", reason
ORDER BY source, n DESC, "column", reason;
