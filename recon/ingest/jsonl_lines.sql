-- One JSON-lines file, one line per row as text (blank lines are NULL rows, so the row's
-- position is its line). The delimiter never occurs in JSON text, so the whole line
-- is one field.
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT *
FROM read_csv(
    $path,
    columns = {{'j': 'VARCHAR'}},
    header = false,
    delim = $delim,  -- the record separator byte, never part of JSON text
    quote = '',
    escape = '',
    auto_detect = false,
    strict_mode = true,
    store_rejects = true,
    rejects_table = 'recon_csv_rejects',
    rejects_scan = 'recon_csv_scans'
)
