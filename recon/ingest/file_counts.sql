-- Row accounting of one source per file (file number = _row >> 40): rows, parsed amount sum,
-- exact duplicates, rows breaking a rule (duplicates not counted), conflicting keys.
WITH per_file AS (
    SELECT _row >> 40 AS file_no, count(*) AS rows, sum(amount) AS amount_sum,
           count(_rule) AS broken
    FROM {table}
    GROUP BY file_no
),
duplicates AS (
    SELECT c._row >> 40 AS file_no, count(*) AS duplicates, count(c._rule) AS broken
    FROM recon_ingest_candidates AS c
    SEMI JOIN recon_ingest_duplicates AS d USING (_row)
    GROUP BY file_no
),
conflicts AS (
    SELECT _row >> 40 AS file_no, count(*) AS conflicts
    FROM recon_ingest_conflicts
    GROUP BY file_no
)
SELECT p.file_no, p.rows, p.amount_sum,
       coalesce(d.duplicates, 0) AS duplicates,
       p.broken - coalesce(d.broken, 0) AS broken,
       coalesce(c.conflicts, 0) AS conflicts
FROM per_file AS p
LEFT JOIN duplicates AS d USING (file_no)
LEFT JOIN conflicts AS c USING (file_no)
ORDER BY p.file_no
