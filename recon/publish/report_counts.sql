-- How many findings this run charted, and whether there are channel requests to compare with.
SELECT
    (SELECT count(*) FROM publish_events) AS findings,
    (SELECT coalesce(sum(n), 0) FROM publish_requests) AS requests;
