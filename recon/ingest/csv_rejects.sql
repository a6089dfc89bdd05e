-- The malformed rows of the file just read, one per line (a row may break more than once).
SELECT line, any_value(csv_line) AS text,
       string_agg(DISTINCT error_type, ', ' ORDER BY error_type) AS kinds
FROM recon_csv_rejects
GROUP BY line
ORDER BY line
