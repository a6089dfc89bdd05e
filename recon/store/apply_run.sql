-- Inside the one write transaction, after this run's events were appended to the audit chain
-- (new_run_events.sql, audit.py): record what classify.sql decided.
UPDATE recon_store.exceptions AS s SET
    finding_key = f.finding_key,
    type = f.type,
    subtype = f.subtype,
    txn_ref = f.txn_ref,
    related_txn_ref = f.related_txn_ref,
    customer_id = f.customer_id,
    account_id = f.account_id,
    amount = f.amount,
    currency = f.currency,
    evidence = f.evidence,
    proposed_action = f.proposed_action,
    compensation = f.compensation,
    event_at = f.event_at,
    channel = f.channel,
    status = CASE WHEN f.change = 'REOPENED' THEN 'OPEN' ELSE s.status END,
    assignee = CASE WHEN f.change = 'REOPENED' THEN NULL ELSE s.assignee END,
    closed_at = CASE WHEN f.change = 'REOPENED' THEN NULL ELSE s.closed_at END,
    -- a change of status is a new version (optimistic locking: an analyst's form from before
    -- the run is stale); refreshed amounts and evidence are not
    version = CASE WHEN f.change = 'REOPENED' THEN coalesce(s.version, 1) + 1 ELSE s.version END,
    last_seen_run = $run_id
FROM _store_found AS f
WHERE s.exception_id = f.exception_id AND f.change <> 'NEW';
INSERT INTO recon_store.exceptions (
    exception_id, finding_key, type, subtype, txn_ref, related_txn_ref, customer_id,
    account_id, amount, currency, detected_at, evidence, proposed_action, compensation,
    event_at, channel, status, first_seen_run, last_seen_run
)
SELECT
    exception_id, finding_key, type, subtype, txn_ref, related_txn_ref, customer_id,
    account_id, amount, currency, $detected_at, evidence, proposed_action, compensation,
    event_at, channel, 'OPEN', $run_id, $run_id
FROM _store_found WHERE change = 'NEW';
UPDATE recon_store.exceptions
SET status = 'SELF_HEALED', closed_at = $now, version = coalesce(version, 1) + 1
WHERE exception_id IN (SELECT exception_id FROM _store_healed);
INSERT INTO recon_store.sightings SELECT $run_id, exception_id FROM _store_found;
INSERT OR IGNORE INTO recon_store.incident_tags
SELECT $incident_id, exception_id, $run_id FROM _store_found WHERE $incident_id IS NOT NULL;
DELETE FROM recon_store.evidence_rows
WHERE exception_id IN (SELECT exception_id FROM _store_evidence_items);
INSERT INTO recon_store.evidence_rows
SELECT i.exception_id, i.position, i.source, i.key, m.file, m.line, m."row", $run_id
FROM _store_evidence_items AS i
LEFT JOIN _store_evidence_matches AS m USING (exception_id, position);
