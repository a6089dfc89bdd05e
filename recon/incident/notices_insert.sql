-- Record the new notices (temp table _nt_new), supersede the unsent ones they replace, and
-- stage one event each for the audit chain (audit.append_events numbers and chains them).
UPDATE recon_store.notices AS n SET state = 'SUPERSEDED'
FROM _nt_new AS x
WHERE n.incident_id = x.incident_id AND n.customer_id = x.customer_id
  AND n.channel = x.channel AND n.language = x.language
  AND n.state = 'PREPARED' AND n.notice_id <> x.notice_id;
INSERT INTO recon_store.notices
SELECT notice_id, incident_id, customer_id, channel, language, kind, content_sha256, content,
       exception_ids, 'PREPARED', $now, $actor, NULL, NULL, NULL
FROM _nt_new;
CREATE OR REPLACE TEMP TABLE _audit_new_events AS
SELECT (SELECT coalesce(max(event_no), 0) FROM recon_store.events)
           + row_number() OVER (ORDER BY notice_id) AS event_no,
       'notice:' || notice_id AS exception_id,
       $now::TIMESTAMPTZ AS changed_at,
       $actor::VARCHAR AS actor,
       NULL::VARCHAR AS run_id,
       'NOTICE_PREPARED' AS action,
       NULL::VARCHAR AS from_status,
       'PREPARED' AS to_status,
       format('{} {} notice ({}, {}) for {}: sha256 {}; cases {}', incident_id, lower(kind),
              channel, language, customer_id, content_sha256, exception_ids) AS note,
       $os_user::VARCHAR AS os_user
FROM _nt_new;
