-- Every structurally sound row of one source, typed, with its fate decided in the order of
-- docs/ingest.md:
--   _dup       exact duplicate of an earlier row (same normalized content; first in file
--              order kept)
--   _rule      the first schema rule the row breaks (ids from recon.ingest.stage), NULL if none
--   _conflict  valid, but its key was already taken by an earlier valid row with other content
-- Placeholders are identifiers and expressions generated from the schema in
-- recon.ingest.stage; every value (time zone, separator, allowed values) is a parameter.
CREATE OR REPLACE TEMP TABLE recon_ingest_stage AS
WITH typed AS (
    SELECT r._file_no, r._line, {typed}
    FROM ({rows}) AS r
),
deduplicated AS (
    SELECT *, row_number() OVER (PARTITION BY {content} ORDER BY _file_no, _line) > 1 AS _dup
    FROM typed
),
checked AS (
    SELECT *, CASE WHEN _dup THEN NULL {rules} END AS _rule
    FROM deduplicated
)
SELECT * EXCLUDE ({raw}),
       CASE _rule {values} END AS _value,
       coalesce(NOT _dup AND _rule IS NULL AND row_number() OVER kept > 1, false) AS _conflict,
       first_value(_file_no) OVER kept AS _kept_file_no,
       first_value(_line) OVER kept AS _kept_line
FROM checked
WINDOW kept AS (PARTITION BY _dup OR _rule IS NOT NULL, {key} ORDER BY _file_no, _line)
