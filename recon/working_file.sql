-- The file of the working database, NULL when it is in memory (resources.py).
SELECT path FROM duckdb_databases() WHERE database_name = current_database();
