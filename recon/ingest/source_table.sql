-- The working table of one source (docs/architecture.md): typed columns and where each row
-- came from, plus ingest's own bookkeeping columns (dropped once the source is settled):
-- _row (file number << 40 | ordinal: identity and file order), _rule (first broken rule),
-- _value (the raw text that broke it), _unparsed (text of fields that did not parse).
CREATE OR REPLACE TABLE {table} (
    {columns},
    _file recon_file,
    _line BIGINT,
    _row BIGINT,
    _rule INTEGER,
    _value VARCHAR,
    _unparsed VARCHAR[]
)
