-- Store schema 2 -> 3: the audit chain (docs/store.md, "Provable history"). New columns go
-- at the end, in the order schema.sql declares them for a new store. Events and runs written
-- before version 3 have no OS user (NULL: it was not recorded). Runs are numbered in the
-- order they were recorded; each run seals the events chain as it stood when it finished.
-- recon/store/audit.py then computes the links of every existing row, in this transaction.
ALTER TABLE recon_store.events ADD COLUMN os_user VARCHAR;
ALTER TABLE recon_store.events ADD COLUMN prev_hash VARCHAR;
ALTER TABLE recon_store.events ADD COLUMN hash VARCHAR;
ALTER TABLE recon_store.runs ADD COLUMN run_no BIGINT;
ALTER TABLE recon_store.runs ADD COLUMN os_user VARCHAR;
ALTER TABLE recon_store.runs ADD COLUMN events_head VARCHAR;
ALTER TABLE recon_store.runs ADD COLUMN prev_hash VARCHAR;
ALTER TABLE recon_store.runs ADD COLUMN hash VARCHAR;
UPDATE recon_store.runs AS r SET run_no = n.run_no
FROM (
    SELECT run_id, row_number() OVER (ORDER BY finished_at, started_at, run_id) AS run_no
    FROM recon_store.runs
) AS n
WHERE r.run_id = n.run_id;
