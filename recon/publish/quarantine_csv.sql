-- quarantine.csv: every rejected input row with where it came from and why.
COPY (
    SELECT source, file, line, "column", value, reason
    FROM quarantine
    ORDER BY source, file, line, "column"
) TO $path (FORMAT csv, HEADER true);
