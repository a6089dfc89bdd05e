-- publish_events (this run's findings: when each break happened, by type and subtype) and publish_requests (channel
-- requests) for the report's timeline. Both sources are our own table names or
-- empty typed stand-ins, chosen by recon.publish.report_data.
CREATE OR REPLACE TEMP VIEW publish_events AS
SELECT
    CAST(event_at AS TIMESTAMPTZ) AS event_at,
    CAST(type AS VARCHAR) AS type,
    CAST(subtype AS VARCHAR) AS subtype
FROM {events};

CREATE OR REPLACE TEMP VIEW publish_requests AS
SELECT
    CAST(requested_at AS TIMESTAMPTZ) AS requested_at,
    CAST(status AS VARCHAR) AS status,
    CAST(error_code AS VARCHAR) AS error_code
FROM {requests}
WHERE requested_at IS NOT NULL;
