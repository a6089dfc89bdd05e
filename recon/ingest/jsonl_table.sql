-- The JSON objects of one JSON-lines file as text columns; numbers keep their JSON text.
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT _line, {columns}
FROM {lines}
WHERE CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END
