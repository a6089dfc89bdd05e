-- Inside the one write transaction: record what classify.sql decided. Events first, while
-- the old statuses are still in the temp tables.
INSERT INTO recon_store.events
SELECT
    coalesce((SELECT max(event_no) FROM recon_store.events), 0)
        + row_number() OVER (ORDER BY kind, exception_id),
    exception_id, $now, $actor, $run_id, action, from_status, to_status, note
FROM (
    SELECT 1 AS kind, exception_id, 'DETECTED' AS action, NULL::VARCHAR AS from_status,
           'OPEN' AS to_status, 'found by run ' || $run_id AS note
    FROM _store_found WHERE change = 'NEW'
    UNION ALL
    SELECT 2, exception_id, 'REOPENED', old_status, 'OPEN', 'found again by run ' || $run_id
    FROM _store_found WHERE change = 'REOPENED'
    UNION ALL
    SELECT 3, exception_id, 'SELF_HEALED', old_status, 'SELF_HEALED',
           'no longer found by run ' || $run_id || ', which evaluated its transfer'
    FROM _store_healed
);
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
UPDATE recon_store.exceptions SET status = 'SELF_HEALED', closed_at = $now
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
