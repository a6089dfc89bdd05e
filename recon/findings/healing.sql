-- What this run can vouch for (CONTRACT.md section 5: healing needs positive evidence).
-- The store closes an open exception as SELF_HEALED only when its transfer is still in
-- `evaluated_txn_refs` after this and its type is not in `unchecked_types`.
-- Without ingest's tables (unit tests of the findings alone) nothing was quarantined.
CREATE TABLE IF NOT EXISTS quarantine (
    source VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR
);
CREATE TABLE IF NOT EXISTS quarantined_refs (
    source VARCHAR, txn_ref VARCHAR, request_id VARCHAR
);

-- Quarantined lines per source that name no transfer or request (malformed lines, a row
-- whose key is the broken field): the run cannot tell which transfers they belong to.
CREATE OR REPLACE TABLE unplaced_damage AS
SELECT s.source,
       (SELECT count(*) FROM quarantine AS q WHERE q.source = s.source)
       - (SELECT count(*) FROM quarantined_refs AS r
          WHERE r.source = s.source AND (r.txn_ref IS NOT NULL OR r.request_id IS NOT NULL))
           AS lines
FROM (VALUES ('ledger'), ('channel'), ('gateway'), ('invoices')) AS s(source);

-- A transfer that lost a row this run, directly or through the request behind it, is not
-- vouched for; damage that names no transfer in ledger, channel or gateway vouches for none.
DELETE FROM evaluated_txn_refs
WHERE txn_ref IN (SELECT txn_ref FROM quarantined_refs WHERE txn_ref IS NOT NULL)
   OR txn_ref IN (
       SELECT l.txn_ref FROM ledger AS l
       SEMI JOIN quarantined_refs AS r ON r.request_id = l.request_id
   )
   OR txn_ref IN (
       SELECT c.txn_ref FROM channel AS c
       SEMI JOIN quarantined_refs AS r ON r.request_id = c.request_id
   )
   OR EXISTS (
       SELECT 1 FROM unplaced_damage
       WHERE source IN ('ledger', 'channel', 'gateway') AND lines > 0
   );

-- Finding types this run did not check, or checked over damage it cannot place: their open
-- exceptions neither heal nor change.
CREATE OR REPLACE TABLE unchecked_types AS
SELECT unnest($skipped_types::VARCHAR[]) AS type
UNION
SELECT 'INVOICE' FROM unplaced_damage WHERE source = 'invoices' AND lines > 0;
