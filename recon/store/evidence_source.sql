-- One source's rows behind the evidence items, as JSON with the file and line they came
-- from. {table} and {key} are filled from recon/store/evidence.py's constants, not input.
SELECT i.exception_id, i.position, t._file AS file, t._line::BIGINT AS line, to_json(t) AS "row"
FROM _store_evidence_items AS i
JOIN {table} AS t ON t.{key} = i.key
WHERE i.source IN (SELECT unnest($names::VARCHAR[]))
