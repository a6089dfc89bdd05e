-- Inside the run's write transaction, after the alerts' events were appended
-- (double_credit.sql, audit.py): the alerts themselves. The exceptions keep their status.
INSERT INTO recon_store.alerts (
    exception_id, kind, raised_at, run_id, resolved_by, resolved_at, note
)
SELECT exception_id, 'DOUBLE_CREDIT_RISK', $now, $run_id, resolved_by, resolved_at, note
FROM _dc_risks;
DROP TABLE _dc_risks;
