-- How many exceptions the filters let through (every page together).
SELECT count(*) FROM _queue;
