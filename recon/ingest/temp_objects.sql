-- Ingest's own temporary tables and views (all named recon_ingest_*), to drop after a source.
SELECT 'TABLE' AS kind, table_name AS name FROM duckdb_tables()
WHERE temporary AND starts_with(table_name, 'recon_ingest_')
UNION ALL
SELECT 'VIEW', view_name FROM duckdb_views()
WHERE temporary AND starts_with(view_name, 'recon_ingest_')
