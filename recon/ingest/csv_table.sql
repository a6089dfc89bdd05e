-- One CSV file as text: every field VARCHAR, the file's own header skipped. Rows that do not
-- split into the header's fields land in recon_csv_rejects with their physical line.
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT *
FROM read_csv(
    $path,
    columns = $columns,
    header = true,
    delim = ',',
    quote = '"',
    escape = '"',
    auto_detect = false,
    strict_mode = true,
    null_padding = false,
    store_rejects = true,
    rejects_table = 'recon_csv_rejects',
    rejects_scan = 'recon_csv_scans'
)
