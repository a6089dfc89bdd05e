-- The incident window (start - margin .. end + margin, inclusive) as a one-row table.
CREATE OR REPLACE TEMP TABLE incident_window AS
SELECT CAST($start AS TIMESTAMPTZ) AS start_at, CAST($end AS TIMESTAMPTZ) AS end_at
