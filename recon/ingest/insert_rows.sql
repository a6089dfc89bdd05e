-- One file's rows into its source's working table, typed, each with the first schema rule it
-- breaks. Placeholders are identifiers and expressions generated from the schema in
-- recon.ingest.stage; every value (time zone, separator, allowed values, file) is a bound
-- parameter. Each field is parsed once (typed), then only compared.
INSERT INTO {table}
SELECT {names},
       $file AS _file,
       _ordinal + $line_offset AS _line,
       $row_base + _ordinal AS _row,
       _rule,
       CASE WHEN _rule IS NOT NULL THEN CASE _rule {values} END END AS _value,
       _unparsed
FROM (
    SELECT *,
           CASE {rules} END AS _rule,
           CASE WHEN {any_unparsed} THEN list_value({unparsed}) END AS _unparsed
    FROM (
        SELECT r._ordinal, {typed}
        FROM ({rows}) AS r
    )
)
