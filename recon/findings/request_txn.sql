-- A request told TIMEOUT or FAILED may carry no txn_ref although the core posted it: it
-- belongs to the transfer its ledger legs name through request_id.
CREATE OR REPLACE TABLE _fb_request_txn AS
SELECT c.request_id, min(l.txn_ref) AS txn_ref
FROM channel AS c
JOIN ledger AS l ON l.request_id = c.request_id
WHERE c.txn_ref IS NULL
GROUP BY c.request_id;
