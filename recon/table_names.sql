-- Tables of the working database's current schema whose name starts with $prefix ('' for
-- all), by name.
SELECT table_name
FROM duckdb_tables()
WHERE database_name = current_database()
  AND schema_name = current_schema()
  AND starts_with(table_name, $prefix)
ORDER BY table_name;
