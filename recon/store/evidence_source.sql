-- One source's rows behind the evidence items, as JSON with the file and line they came
-- from. Table, key and parameter names are filled in by recon/store/evidence.py from its
-- constants, never from input. The rows are found by key first (a scan of the key column
-- only), then read whole by rowid: joining every column of every row on the key took twice
-- as long (1.5 s for 48k findings at 3M transfers).
SELECT h.exception_id, h.position, t._file AS file, t._line::BIGINT AS line, to_json(t) AS "row"
FROM (
    SELECT i.exception_id, i.position, k.rowid AS row_id
    FROM _store_evidence_items AS i
    JOIN {table} AS k ON k.{key} = i.key
    WHERE list_contains(${names}::VARCHAR[], i.source)
) AS h
JOIN {table} AS t ON t.rowid = h.row_id
