-- Inside one outage window (local $start to $end): first and last failed request, and the
-- error codes customers saw, most frequent first.
WITH failed AS (
    SELECT timezone($tz, requested_at) AS t, coalesce(error_code, status) AS code
    FROM publish_requests
    WHERE status IN ('FAILED', 'TIMEOUT')
      AND timezone($tz, requested_at) >= $start AND timezone($tz, requested_at) < $end
)
SELECT
    (SELECT min(t) FROM failed) AS first_failed,
    (SELECT max(t) FROM failed) AS last_failed,
    code,
    count(*) AS n
FROM failed
GROUP BY code
ORDER BY n DESC, code;
