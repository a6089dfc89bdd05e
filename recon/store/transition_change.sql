-- One checked change (actions._write, in the column order of transition_changes.sql).
INSERT INTO _changes VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);
