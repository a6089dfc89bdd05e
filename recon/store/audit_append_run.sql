-- Append the staged run record with its link.
INSERT INTO recon_store.runs BY NAME
SELECT *, $prev_hash AS prev_hash, $hash AS hash FROM _audit_new_run;
DROP TABLE _audit_new_run;
