-- The working table of one source (docs/architecture.md): typed columns, then where each
-- row came from.
CREATE OR REPLACE TABLE {table} ({columns}, _file VARCHAR, _line BIGINT)
