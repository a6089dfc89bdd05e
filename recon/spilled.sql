-- Bytes the working database has spilled to its temporary folder right now (resources.py).
SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files();
