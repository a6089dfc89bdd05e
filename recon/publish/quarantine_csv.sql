-- quarantine.csv: every rejected input row with where it came from and why. Text cells
-- through safe_cell (recon/safety.sql); the order is by the raw values.
COPY (
    SELECT
        safe_cell(q.source) AS source,
        safe_cell(q.file) AS file,
        q.line,
        safe_cell(q."column") AS "column",
        safe_cell(q.value) AS value,
        safe_cell(q.reason) AS reason
    FROM quarantine AS q
    ORDER BY q.source, q.file, q.line, q."column"
) TO $path (FORMAT csv, HEADER true);
