-- Store schema 7 on PostgreSQL: the same rekeying as recon/store/rekey_v7.sql (read it for
-- why): a CHANNEL_FAILED_BUT_BOOKED finding is keyed by the finding's txn_ref (the one the
-- store keeps beside the key), no longer by the request's own, often empty, txn_ref. No table
-- changes; exception ids, statuses and history stay. tests/store/test_channel_request_identity.py
-- runs both scripts on the same rows.
WITH keyed AS (
    SELECT e.exception_id, e.finding_key, e.txn_ref,
           substring(e.evidence from '(?:^|;)channel:([^;]*)') AS request_id,
           coalesce(substring(e.finding_key from '#[0-9]+$'), '') AS suffix
    FROM recon.exceptions AS e
    WHERE e.type = 'HALF_COMPLETED' AND e.subtype = 'CHANNEL_FAILED_BUT_BOOKED'
      AND e.txn_ref IS NOT NULL
      AND starts_with(e.finding_key, 'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|')
),
split AS (
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
      AND substr(rest, pos)
          ~ '^\|channel@[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z\|'
),
grouped AS (
    SELECT *, bool_and(legacy) OVER (PARTITION BY base) AS all_legacy,
           row_number() OVER (
               PARTITION BY base ORDER BY request_id COLLATE "C", exception_id COLLATE "C"
           ) AS n
    FROM based
),
rekey AS (
    SELECT exception_id, base || '#' || n AS finding_key
    FROM grouped
    WHERE legacy AND all_legacy
      AND base || '#' || n NOT IN (
          SELECT e.finding_key FROM recon.exceptions AS e
          WHERE e.finding_key IS NOT NULL
            AND e.exception_id NOT IN (
                SELECT exception_id FROM grouped WHERE legacy AND all_legacy
            )
      )
)
UPDATE recon.exceptions AS e SET finding_key = r.finding_key
FROM rekey AS r
WHERE e.exception_id = r.exception_id;
