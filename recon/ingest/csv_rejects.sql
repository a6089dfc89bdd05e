-- The malformed rows of the file just read, one per line (a row may break more than once).
SELECT line, any_value(csv_line) AS text, string_agg(DISTINCT error_type, ', ') AS kinds,
       min(error_message) AS message
FROM recon_csv_rejects
GROUP BY line
ORDER BY line
