-- The latest timestamp in the valid rows of all sources: the default cutoff.
SELECT max(ts) FROM ({timestamps})
