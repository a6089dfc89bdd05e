-- One CSV file as text, in file order (`_ordinal`): every field VARCHAR, the header skipped.
-- Rows that do not split into the header's fields land in recon_csv_rejects with their line.
SELECT ordinality AS _ordinal, {columns}
FROM read_csv(
    $path,
    columns = $csv_columns,
    header = true,
    delim = $delim,
    quote = '"',
    escape = '"',
    auto_detect = false,
    strict_mode = true,
    null_padding = false,
    store_rejects = true,
    rejects_table = 'recon_csv_rejects',
    rejects_scan = 'recon_csv_scans'
) WITH ORDINALITY
