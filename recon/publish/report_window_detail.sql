-- Inside one outage window (local $start to $end): first and last failed request, and the
-- error codes customers saw, most frequent first.
WITH failed AS (
    SELECT first_at, last_at, coalesce(error_code, status) AS code, n
    FROM publish_requests
    WHERE status IN ('FAILED', 'TIMEOUT')
      AND local_minute >= $start AND local_minute < $end
)
SELECT
    (SELECT min(first_at) FROM failed) AS first_failed,
    (SELECT max(last_at) FROM failed) AS last_failed,
    code,
    sum(n) AS n
FROM failed
GROUP BY code
ORDER BY n DESC, code;
