-- `recon_file`: the type of the working tables' `_file` column, an ENUM of this run's extract
-- paths. A path repeated on every row as text cost ~80 bytes a row (the working tables of 1M
-- transfers took 748 MB with it, 550 MB without); as an ENUM it costs one or two bytes and
-- still reads as the path.
DROP TYPE IF EXISTS recon_file;
CREATE OR REPLACE TEMP TABLE recon_ingest_paths AS
SELECT unnest($paths::VARCHAR[]) AS path;
CREATE TYPE recon_file AS ENUM (SELECT path FROM recon_ingest_paths ORDER BY path);
DROP TABLE recon_ingest_paths;
