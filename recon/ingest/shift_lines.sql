-- Lines that held no row (blank or malformed) move every later row of the file one line
-- down: the rows from ordinal `start` on move `shift` lines. Only run when a file has such lines.
UPDATE {table} AS t
SET _line = t._line + s.shift
FROM (
    SELECT x._row, k.shift
    FROM {table} AS x
    ASOF JOIN (
        SELECT unnest($starts::BIGINT[]) AS start, unnest($shifts::BIGINT[]) AS shift
    ) AS k ON x._row - $row_base >= k.start
    WHERE x._row > $row_base AND x._row < $row_base + $row_span
) AS s
WHERE t._row = s._row
