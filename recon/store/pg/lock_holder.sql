-- Who holds the store's write lock (connection.py WRITE_LOCK, a key below 2^31: objid), for
-- the message of a writer that gave up waiting.
SELECT a.application_name, a.usename, coalesce(host(a.client_addr), 'a local socket'),
       a.xact_start AT TIME ZONE 'UTC'
FROM pg_locks AS l
JOIN pg_stat_activity AS a USING (pid)
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s
LIMIT 1;
