-- The working table as docs/architecture.md lists it: ingest's bookkeeping columns go.
ALTER TABLE {table} DROP COLUMN _row;
ALTER TABLE {table} DROP COLUMN _rule;
ALTER TABLE {table} DROP COLUMN _value;
ALTER TABLE {table} DROP COLUMN _unparsed;
DROP TABLE IF EXISTS recon_ingest_candidates;
DROP TABLE IF EXISTS recon_ingest_duplicates;
DROP TABLE IF EXISTS recon_ingest_conflicts
