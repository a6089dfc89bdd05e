-- The version table every PostgreSQL store starts with (migrate.py reads it before any step).
CREATE SCHEMA IF NOT EXISTS recon;
CREATE TABLE IF NOT EXISTS recon.store_info (
    key text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO recon.store_info VALUES ('schema_version', '0') ON CONFLICT (key) DO NOTHING;
