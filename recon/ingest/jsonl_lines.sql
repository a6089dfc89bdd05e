-- One JSON-lines file, one line per row as text, in file order (blank lines are NULL rows, so
-- the ordinal is the line). The delimiter (record separator) never occurs in JSON text, so
-- the whole line is one field.
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT ordinality AS _ordinal, j
FROM read_csv(
    $path,
    columns = {{'j': 'VARCHAR'}},
    header = false,
    delim = $delim,
    quote = '',
    escape = '',
    auto_detect = false,
    strict_mode = true,
    store_rejects = true,
    rejects_table = 'recon_csv_rejects',
    rejects_scan = 'recon_csv_scans'
) WITH ORDINALITY
