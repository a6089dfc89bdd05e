-- The JSON objects of one JSON-lines file as text columns; numbers keep their JSON text
-- (recon_json_exact). Lines that are not an object with each key once are malformed
-- (jsonl_malformed.sql).
SELECT _ordinal, {columns}
FROM {lines}
WHERE coalesce(recon_json_row(j), false)
