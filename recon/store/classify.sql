-- Before the write transaction (read only for the store): what this run does to each
-- exception. A finding is matched to a stored exception by its natural key, and takes that
-- exception's id: a store migrated from older keys keeps the ids analysts know.
UPDATE findings AS f SET exception_id = s.exception_id
FROM (
    SELECT finding_key, min(exception_id) AS exception_id
    FROM recon_store.exceptions
    WHERE finding_key IN (SELECT finding_key FROM findings)
    GROUP BY finding_key
) AS s
WHERE s.finding_key = f.finding_key AND s.exception_id <> f.exception_id;
-- change: NEW (first seen), REOPENED (had self-healed), STILL_OPEN, RESOLVED_SEEN (an analyst's
-- resolution stands). Statuses mirror recon/store/statuses.py.
CREATE OR REPLACE TEMP TABLE _store_found AS
SELECT
    f.exception_id, f.finding_key, f.type, f.subtype, f.txn_ref, f.related_txn_ref,
    f.customer_id, f.account_id, f.amount::DECIMAL(18, 2) AS amount, f.currency, f.evidence,
    f.proposed_action, f.compensation::DECIMAL(18, 2) AS compensation, f.event_at, f.channel,
    s.status AS old_status,
    s.evidence AS old_evidence,
    CASE
        WHEN s.exception_id IS NULL THEN 'NEW'
        WHEN s.status = 'SELF_HEALED' THEN 'REOPENED'
        WHEN s.status = 'RESOLVED' THEN 'RESOLVED_SEEN'
        ELSE 'STILL_OPEN'
    END AS change
FROM findings AS f
LEFT JOIN recon_store.exceptions AS s USING (exception_id);
-- Open exceptions about transfers this run evaluated (and can vouch for: healing.sql) but
-- no longer finds: they healed. A type this run did not check heals nothing.
CREATE TABLE IF NOT EXISTS unchecked_types (type VARCHAR);
CREATE OR REPLACE TEMP TABLE _store_healed AS
SELECT s.exception_id, s.status AS old_status
FROM recon_store.exceptions AS s
WHERE s.status IN ('OPEN', 'ASSIGNED')
  AND s.txn_ref IN (SELECT txn_ref FROM evaluated_txn_refs)
  AND s.type NOT IN (SELECT type FROM unchecked_types)
  AND s.exception_id NOT IN (SELECT exception_id FROM findings)
  -- its row read again (anchors.sql)
  AND (s.exception_id IN (SELECT exception_id FROM _store_anchor_seen)
       OR s.exception_id NOT IN (SELECT exception_id FROM _store_anchor))
  -- one with an unacknowledged DOUBLE_CREDIT_RISK (double_credit.sql; reopened by an
  -- analyst) is about a transfer that no longer shows a break: only an analyst closes it
  AND s.exception_id NOT IN (
      SELECT exception_id FROM recon_store.alerts WHERE acknowledged_at IS NULL
  )
  -- a key the schema-2 migration could not rebuild (it names a row id, `...|ledger:E1`)
  -- can never be found again: its exception must not close as healed for that reason
  AND NOT regexp_matches(coalesce(s.finding_key, ''), '^[^|]+\|[^|]+\|(ledger|gateway|invoices|channel):');
-- The evidence items (`ledger:E1`) whose source rows the store must (re)capture.
CREATE OR REPLACE TEMP TABLE _store_evidence_items AS
SELECT
    exception_id,
    pos::INTEGER AS position,
    lower(trim(split_part(item, ':', 1))) AS source,
    trim(substr(item, strpos(item, ':') + 1)) AS key
FROM (
    SELECT
        exception_id,
        unnest(string_split(evidence, ';')) AS item,
        generate_subscripts(string_split(evidence, ';'), 1) AS pos
    FROM _store_found
    WHERE change = 'NEW'
       OR evidence IS DISTINCT FROM old_evidence
       OR exception_id NOT IN (SELECT exception_id FROM recon_store.evidence_rows)
)
WHERE trim(item) <> '';
