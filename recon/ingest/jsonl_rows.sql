-- The JSON objects of one JSON-lines file as text columns; numbers keep their JSON text.
SELECT _ordinal, {columns}
FROM {lines}
WHERE CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END
