-- One source's rows behind the evidence items, as JSON with the file and line they came
-- from. Table, key and parameter names are filled in by recon/store/evidence.py from its
-- constants, never from input.
SELECT i.exception_id, i.position, t._file AS file, t._line::BIGINT AS line, to_json(t) AS "row"
FROM _store_evidence_items AS i
JOIN {table} AS t ON t.{key} = i.key
WHERE list_contains(${names}::VARCHAR[], i.source)
