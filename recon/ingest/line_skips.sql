-- Lines that hold no data row (blank or malformed) before data row `start` (0-based):
-- the rows from `start` on sit `shift` lines further down the file.
CREATE OR REPLACE TEMP TABLE {skips} AS
SELECT unnest($starts::BIGINT[]) AS start, unnest($shifts::BIGINT[]) AS shift
