-- The data rows of one text file with their physical line numbers: the row's position plus
-- the lines before it that were not rows (header, blank or malformed lines).
CREATE OR REPLACE TEMP VIEW {view} AS
SELECT t._idx + {first_line} + coalesce(s.shift, 0) AS _line, {columns}
FROM (SELECT rowid AS _idx, * FROM {table}) AS t
ASOF LEFT JOIN {skips} AS s ON t._idx >= s.start
