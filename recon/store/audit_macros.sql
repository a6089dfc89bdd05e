-- The canonical serialisation the audit chain hashes (docs/store.md, "Provable history").
-- A record is a tag (`event,` or `run,`) then every column in a fixed order, each as
--   NULL  -> `~,`
--   value -> `<length of its UTF-8 text in bytes>:<text>,`
-- so no value can be mistaken for another (a NULL is not an empty text `0:,`, and a comma or
-- newline inside a value is just counted). Times are UTC ISO 8601 with microseconds
-- (`2024-03-16T01:00:00.000000Z`), numbers in plain decimal, JSON columns as stored.
-- A link's hash is SHA-256 (hex) of `<previous hash>` + "\n" + the record; the first link's
-- previous hash is 64 zeros. recon/store/audit.py computes the hashes from these strings.
CREATE OR REPLACE TEMP MACRO audit_field(v) AS (
    CASE WHEN v IS NULL THEN '~,' ELSE strlen(v::VARCHAR)::VARCHAR || ':' || v::VARCHAR || ',' END
);
CREATE OR REPLACE TEMP MACRO audit_time(t) AS (
    strftime(timezone('UTC', t::TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%fZ')
);
CREATE OR REPLACE TEMP MACRO audit_event(
    event_no, exception_id, changed_at, actor, os_user, run_id, action, from_status,
    to_status, note
) AS (
    'event,' || audit_field(event_no) || audit_field(exception_id)
    || audit_field(audit_time(changed_at)) || audit_field(actor) || audit_field(os_user)
    || audit_field(run_id) || audit_field(action) || audit_field(from_status)
    || audit_field(to_status) || audit_field(note)
);
-- A run's input files and per-source counts belong to its record: the sha256 of every file
-- it read is in the chain. Rows in a fixed order; no rows -> NULL.
CREATE OR REPLACE TEMP MACRO audit_run_files(rid) AS (
    SELECT string_agg(
        audit_field(f.source) || audit_field(f.path) || audit_field(f.format)
        || audit_field(f.sha256) || audit_field(f.rows) || audit_field(f.amount_sum),
        '' ORDER BY f.source, f.path, f.format, f.sha256, f.rows, f.amount_sum
    )
    FROM recon_store.run_files AS f WHERE f.run_id = rid
);
CREATE OR REPLACE TEMP MACRO audit_run_counts(rid) AS (
    SELECT string_agg(
        audit_field(c.source) || audit_field(c.read) || audit_field(c.valid)
        || audit_field(c.quarantined) || audit_field(c.exact_duplicates),
        '' ORDER BY c.source, c.read, c.valid, c.quarantined, c.exact_duplicates
    )
    FROM recon_store.run_counts AS c WHERE c.run_id = rid
);
CREATE OR REPLACE TEMP MACRO audit_run(
    run_no, run_id, actor, os_user, started_at, finished_at, cutoff, data_dir, incident_id,
    params, timings, outcome, error, found, new, reopened, healed, still_open, open_total, pid,
    events_head
) AS (
    'run,' || audit_field(run_no) || audit_field(run_id) || audit_field(actor)
    || audit_field(os_user) || audit_field(audit_time(started_at))
    || audit_field(audit_time(finished_at)) || audit_field(audit_time(cutoff))
    || audit_field(data_dir) || audit_field(incident_id) || audit_field(params)
    || audit_field(timings) || audit_field(outcome) || audit_field(error) || audit_field(found)
    || audit_field(new) || audit_field(reopened) || audit_field(healed)
    || audit_field(still_open) || audit_field(open_total) || audit_field(pid)
    || audit_field(events_head) || audit_field(audit_run_files(run_id))
    || audit_field(audit_run_counts(run_id))
);
