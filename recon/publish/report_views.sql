-- publish_events (this run's findings: when each break happened, by type and subtype) and
-- publish_requests (channel requests counted per local minute, status and error code) for
-- the report's timeline. Both sources are our own table names or empty typed stand-ins,
-- chosen by recon.publish.report_data. Requests are counted once here, each time converted
-- to local time ($tz) once: every chart and window bucket is a whole number of minutes, so
-- the minute counts give the same figures as the requests themselves (the first and last
-- local time of each group keep the exact times a window reports).
CREATE OR REPLACE TEMP VIEW publish_events AS
SELECT
    CAST(event_at AS TIMESTAMPTZ) AS event_at,
    CAST(type AS VARCHAR) AS type,
    CAST(subtype AS VARCHAR) AS subtype
FROM {events};

CREATE OR REPLACE TEMP TABLE publish_requests AS
SELECT
    date_trunc('minute', local_at) AS local_minute,
    status,
    error_code,
    count(*) AS n,
    min(local_at) AS first_at,
    max(local_at) AS last_at
FROM (
    SELECT
        timezone($tz, CAST(requested_at AS TIMESTAMPTZ)) AS local_at,
        CAST(status AS VARCHAR) AS status,
        CAST(error_code AS VARCHAR) AS error_code
    FROM {requests}
    WHERE requested_at IS NOT NULL
) AS r
GROUP BY ALL;
