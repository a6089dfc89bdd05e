-- Formatting shared by every exported file. Timestamps as ISO 8601 in UTC with an explicit
-- offset (whatever the session time zone); money as plain decimal strings with two places
-- (DECIMAL(38,2): a total, e.g. a customer's compensation, may pass 16 integer digits).
CREATE OR REPLACE TEMP MACRO publish_iso(ts) AS
    strftime(timezone('UTC', CAST(ts AS TIMESTAMPTZ)), '%Y-%m-%dT%H:%M:%S') || '+00:00';
CREATE OR REPLACE TEMP MACRO publish_money(x) AS CAST(CAST(x AS DECIMAL(38, 2)) AS VARCHAR);
