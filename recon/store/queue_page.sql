-- Rows of the filtered queue (_queue) in order: by one column of queries.SORTABLE, written in
-- by queries.py from that whitelist (never from a caller's text), NULLs last, ties broken by
-- exception_id; then one page (LIMIT NULL: all rows).
SELECT * FROM _queue
ORDER BY /*sort*/, exception_id
LIMIT $limit OFFSET $offset;
