-- Exceptions open after this run.
SELECT count(*) FROM exceptions;
