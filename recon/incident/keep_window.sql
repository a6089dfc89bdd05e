-- Keep only the findings of one incident window, and heal only within it.
-- A finding is the window's when its event_at (when the break happened) is inside the window.
-- The store heals an open exception whose txn_ref is in evaluated_txn_refs and which no longer
-- appears, so evaluated_txn_refs keeps only transfers that started inside the window and have no
-- finding outside it: a finding dropped here must not look healed to the store.

CREATE OR REPLACE TEMP TABLE outside_window AS
SELECT DISTINCT f.txn_ref
FROM findings AS f, incident_window AS w
WHERE f.txn_ref IS NOT NULL
  AND (f.event_at IS NULL OR f.event_at < w.start_at OR f.event_at > w.end_at);

DELETE FROM findings
WHERE event_at IS NULL
   OR event_at < (SELECT start_at FROM incident_window)
   OR event_at > (SELECT end_at FROM incident_window);

CREATE OR REPLACE TEMP TABLE first_records AS
SELECT txn_ref, min(record_at) AS first_at
FROM (
    SELECT txn_ref, posted_at AS record_at FROM ledger
    UNION ALL SELECT txn_ref, requested_at FROM channel
    UNION ALL SELECT txn_ref, gateway_at FROM gateway
    UNION ALL SELECT txn_ref, issued_at FROM invoices
) AS records
WHERE txn_ref IS NOT NULL
GROUP BY txn_ref;

DELETE FROM evaluated_txn_refs
WHERE txn_ref IN (SELECT txn_ref FROM outside_window)
   OR NOT EXISTS (
       SELECT 1
       FROM first_records AS r, incident_window AS w
       WHERE r.txn_ref = evaluated_txn_refs.txn_ref AND r.first_at BETWEEN w.start_at AND w.end_at
   );
