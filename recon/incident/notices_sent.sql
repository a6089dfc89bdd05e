-- Record the sending system's receipt (temp table _nt_sent: notice_id, sent_at,
-- receipt_ref): PREPARED or SUPERSEDED -> SENT, one event each in the audit chain. A notice
-- already SENT is left as it was (a receipt recorded twice changes nothing).
CREATE OR REPLACE TEMP TABLE _nt_changed AS
SELECT s.notice_id, s.sent_at, s.receipt_ref, n.state AS from_state, n.incident_id,
       n.customer_id
FROM _nt_sent AS s
JOIN recon_store.notices AS n USING (notice_id)
WHERE n.state <> 'SENT';
UPDATE recon_store.notices AS n SET
    state = 'SENT', sent_at = c.sent_at, receipt_ref = c.receipt_ref,
    receipt_recorded_by = $actor
FROM _nt_changed AS c
WHERE n.notice_id = c.notice_id;
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT (SELECT coalesce(max(event_no), 0) FROM recon_store.events)
           + row_number() OVER (ORDER BY notice_id) AS event_no,
       'notice:' || notice_id AS exception_id,
       $now::TIMESTAMPTZ AS changed_at,
       $actor::VARCHAR AS actor,
       NULL::VARCHAR AS run_id,
       'NOTICE_SENT' AS action,
       from_state AS from_status,
       'SENT' AS to_status,
       format('{} notice for {} sent at {}; receipt {}', incident_id, customer_id,
              strftime(sent_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'),
              coalesce(receipt_ref, '-')) AS note,
       $os_user::VARCHAR AS os_user
FROM _nt_changed;
