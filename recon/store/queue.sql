-- The analysts' queue: aged exceptions (temp table _store_aged) through the filters, into
-- temp table _queue (queries.py sorts and pages it). A NULL parameter means "no filter".
CREATE OR REPLACE TEMP TABLE _queue AS
SELECT
    a.exception_id, a.type, a.subtype, a.txn_ref, a.related_txn_ref, a.customer_id,
    a.account_id, a.amount, a.currency, a.detected_at, a.evidence, a.proposed_action,
    a.compensation, a.status, a.first_seen_run, a.last_seen_run, a.event_at, a.channel,
    a.age_hours, a.severity, a.sla_due_at, a.sla_breached, a.assignee, a.resolution_code,
    a.resolution_note, a.closed_at, a.version
FROM _store_aged AS a
WHERE ($statuses::VARCHAR[] IS NULL OR list_contains($statuses::VARCHAR[], a.status))
  AND ($types::VARCHAR[] IS NULL OR list_contains($types::VARCHAR[], a.type))
  AND ($subtypes::VARCHAR[] IS NULL OR list_contains($subtypes::VARCHAR[], a.subtype))
  AND ($severities::VARCHAR[] IS NULL OR list_contains($severities::VARCHAR[], a.severity))
  AND ($breached::BOOLEAN IS NULL OR a.sla_breached = $breached::BOOLEAN)
  AND ($min_age::DECIMAL(12, 1) IS NULL OR a.age_hours >= $min_age::DECIMAL(12, 1))
  AND ($max_age::DECIMAL(12, 1) IS NULL OR a.age_hours <= $max_age::DECIMAL(12, 1))
  AND ($min_amount::DECIMAL(18, 2) IS NULL OR a.amount >= $min_amount::DECIMAL(18, 2))
  AND ($max_amount::DECIMAL(18, 2) IS NULL OR a.amount <= $max_amount::DECIMAL(18, 2))
  AND ($customer::VARCHAR IS NULL OR a.customer_id = $customer::VARCHAR)
  AND ($channel::VARCHAR IS NULL OR lower(a.channel) = lower($channel::VARCHAR))
  AND ($assignee::VARCHAR IS NULL OR a.assignee = $assignee::VARCHAR)
  AND (NOT $unassigned::BOOLEAN OR a.assignee IS NULL)
  AND (
      $incident_id::VARCHAR IS NULL
      OR a.exception_id IN (
          SELECT exception_id FROM recon_store.incident_tags
          WHERE incident_id = $incident_id::VARCHAR
      )
  )
  AND (
      $run_id::VARCHAR IS NULL
      OR a.exception_id IN (
          SELECT exception_id FROM recon_store.sightings WHERE run_id = $run_id::VARCHAR
          UNION
          SELECT exception_id FROM recon_store.events WHERE run_id = $run_id::VARCHAR
      )
  )
  AND (
      $text::VARCHAR IS NULL
      OR contains(lower(coalesce(a.txn_ref, '')), lower($text::VARCHAR))
      OR contains(lower(coalesce(a.related_txn_ref, '')), lower($text::VARCHAR))
      OR contains(lower(coalesce(a.evidence, '')), lower($text::VARCHAR))
      OR contains(lower(coalesce(a.resolution_note, '')), lower($text::VARCHAR))
      OR a.exception_id IN (
          SELECT exception_id FROM recon_store.events
          WHERE run_id IS NULL AND contains(lower(coalesce(note, '')), lower($text::VARCHAR))
      )
  )
  AND ($exception_id::VARCHAR IS NULL OR a.exception_id = $exception_id::VARCHAR);
