-- Store schema 6 -> 7: a CHANNEL_FAILED_BUT_BOOKED finding was keyed by the request's own
-- txn_ref, which is often empty on a TIMEOUT request and filled in by a later extract; it is
-- now keyed by the finding's transfer, the txn_ref the store keeps beside the key
-- (recon/findings/channel_told.sql):
--   HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|<finding's txn_ref>|channel@<requested_at>|<debit_account>#n
-- Where the request and its debit named the same transfer the key is already that one. The
-- others are rebuilt here, so that the next run finds them under the id analysts know (and
-- a resolved one stays resolved) instead of healing them and opening them again.
-- `#n` numbers the requests that share the rest of the key, by request_id (the channel item
-- of the stored evidence), as a run numbers them. A rebuilt key that another exception already
-- holds (a run after the txn_ref was filled in opened the same break again under a new id)
-- is not rebuilt: that exception keeps the key, this one keeps its old one, as before.
-- The exception_id, status and history never change. PostgreSQL: pg/schema_v7.sql.
CREATE OR REPLACE TEMP TABLE _store_rekey AS
WITH keyed AS (
    SELECT e.exception_id, e.finding_key, e.txn_ref,
           regexp_extract(e.evidence, '(^|;)channel:([^;]*)', 2) AS request_id,
           regexp_extract(e.finding_key, '#[0-9]+$') AS suffix
    FROM recon_store.exceptions AS e
    WHERE e.type = 'HALF_COMPLETED' AND e.subtype = 'CHANNEL_FAILED_BUT_BOOKED'
      AND e.txn_ref IS NOT NULL
      AND starts_with(e.finding_key, 'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|')
),
split AS (
    -- after the prefix: <old txn_ref>|channel@<instant>|<debit_account>, then #n
    SELECT k.*, strpos(k.rest, '|channel@') AS pos
    FROM (
        SELECT *,
               substr(finding_key, length('HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|') + 1,
                      length(finding_key) - length('HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|')
                          - length(suffix)) AS rest
        FROM keyed
        WHERE suffix <> ''
    ) AS k
),
based AS (
    SELECT exception_id, finding_key, request_id,
           substr(rest, 1, pos - 1) <> txn_ref AS legacy,
           'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|' || txn_ref || substr(rest, pos) AS base
    FROM split
    WHERE pos > 0
      AND regexp_matches(
              substr(rest, pos),
              '^\|channel@[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z\|'
          )
),
grouped AS (
    SELECT *, bool_and(legacy) OVER (PARTITION BY base) AS all_legacy,
           row_number() OVER (PARTITION BY base ORDER BY request_id, exception_id) AS n
    FROM based
)
SELECT exception_id, base || '#' || n AS finding_key
FROM grouped AS g
WHERE legacy AND all_legacy
  AND base || '#' || n NOT IN (
      SELECT e.finding_key FROM recon_store.exceptions AS e
      WHERE e.finding_key IS NOT NULL
        AND e.exception_id NOT IN (SELECT exception_id FROM grouped WHERE legacy AND all_legacy)
  );
UPDATE recon_store.exceptions AS e SET finding_key = r.finding_key
FROM _store_rekey AS r
WHERE e.exception_id = r.exception_id;
DROP TABLE _store_rekey;
