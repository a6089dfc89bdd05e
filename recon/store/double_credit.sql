-- Inside the run's write transaction, after apply_run.sql: DOUBLE_CREDIT_RISK. An exception
-- an analyst resolved CORRECTED (fixed by hand) whose transfer this run evaluated and no
-- longer finds broken -- the condition that self-heals an open exception (classify.sql) --
-- completed on its own as well: the customer or payee may have been credited twice. One
-- alert per exception, ever. The exception stays RESOLVED (a run never undoes an analyst's
-- resolution); the alert flags it on the queue until acknowledged (docs/store.md).
CREATE OR REPLACE TEMP TABLE _dc_risks AS
WITH candidates AS (
    SELECT s.exception_id, s.type, s.subtype, s.txn_ref, s.amount, s.currency
    FROM recon_store.exceptions AS s
    WHERE s.status = 'RESOLVED'
      AND s.resolution_code = 'CORRECTED'
      AND s.txn_ref IN (SELECT txn_ref FROM evaluated_txn_refs)
      AND s.type NOT IN (SELECT type FROM unchecked_types)
      AND s.exception_id NOT IN (SELECT exception_id FROM findings)
      -- its row read again (anchors.sql)
      AND (s.exception_id IN (SELECT exception_id FROM _store_anchor_seen)
           OR s.exception_id NOT IN (SELECT exception_id FROM _store_anchor))
      -- a key the schema-2 migration could not rebuild can never be found again (classify.sql)
      AND NOT regexp_matches(
          coalesce(s.finding_key, ''), '^[^|]+\|[^|]+\|(ledger|gateway|invoices|channel):'
      )
      AND NOT EXISTS (
          SELECT 1 FROM recon_store.alerts AS a
          WHERE a.exception_id = s.exception_id AND a.kind = 'DOUBLE_CREDIT_RISK'
      )
),
resolutions AS (
    SELECT exception_id,
           arg_max(actor, event_no) AS resolved_by,
           arg_max(changed_at, event_no) AS resolved_at
    FROM recon_store.events
    WHERE action = 'RESOLVED' AND exception_id IN (SELECT exception_id FROM candidates)
    GROUP BY exception_id
)
SELECT c.*, r.resolved_by, r.resolved_at,
       format(
           'DOUBLE_CREDIT_RISK: resolved CORRECTED by {}, but run {} no longer finds {}/{}'
           || ' on {}: the transfer completed on its own, so {} {} may have been credited'
           || ' twice; check the manual correction and reverse one',
           coalesce(r.resolved_by, 'an analyst'), $run_id, c.type, c.subtype,
           coalesce(c.txn_ref, '-'), coalesce(c.amount::VARCHAR, '?'), coalesce(c.currency, '')
       ) AS note
FROM candidates AS c
LEFT JOIN resolutions AS r USING (exception_id);
-- their events, staged for audit.py to chain and append
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT
    coalesce((SELECT max(event_no) FROM recon_store.events), 0)
        + row_number() OVER (ORDER BY exception_id) AS event_no,
    exception_id,
    $now::TIMESTAMPTZ AS changed_at,
    $actor::VARCHAR AS actor,
    $run_id::VARCHAR AS run_id,
    'DOUBLE_CREDIT_RISK' AS action,
    'RESOLVED' AS from_status,
    'RESOLVED' AS to_status,
    note,
    $os_user::VARCHAR AS os_user
FROM _dc_risks;
