-- Each table of the catalog $db with a primary key: its name and key columns.
SELECT table_name, constraint_column_names
FROM duckdb_constraints()
WHERE database_name = $db AND constraint_type = 'PRIMARY KEY'
ORDER BY table_name;
