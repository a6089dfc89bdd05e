-- The instant of the row a finding is about, as it enters a finding key: UTC, microseconds.
-- One definition for the findings and for the store's migration of older keys.
CREATE OR REPLACE TEMP MACRO recon_key_time(ts) AS
    strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%S.%fZ');
