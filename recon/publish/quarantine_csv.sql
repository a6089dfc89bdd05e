-- quarantine.csv: every rejected input row with where it came from and why. Text cells
-- through safe_cell (recon/safety.sql); the order is by the raw values. A row without a
-- column is a line that could not be split into fields: its value would be the whole raw
-- line (columns outside the contract too, e.g. a card number), so it is written as
-- `sha256:<hex>` of that line (line-end characters at either end trimmed: a CRLF file's
-- reject keeps a stray one) and nothing else; file and line find it. Values of account and
-- customer id columns ($id_columns) are masked when $mask (recon.privacy).
COPY (
    SELECT
        safe_cell(q.source) AS source,
        safe_cell(q.file) AS file,
        q.line,
        safe_cell(q."column") AS "column",
        safe_cell(
            CASE
                WHEN q."column" IS NULL AND q.value IS NOT NULL
                    THEN 'sha256:' || sha256(trim(q.value, chr(13) || chr(10)))
                WHEN list_contains($id_columns, q."column") THEN mask_id(q.value, $mask)
                ELSE q.value
            END
        ) AS value,
        safe_cell(q.reason) AS reason
    FROM quarantine AS q
    ORDER BY q.source, q.file, q.line, q."column"
) TO $path (FORMAT csv, HEADER true);
