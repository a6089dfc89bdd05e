-- Inside the run's write transaction: keep this run's suggestions (_sg_now, suggestions_now.sql).
-- A suggestion is keyed by its id, so a rerun updates it and never adds a second one; when
-- a run's figures differ from the kept ones, they become a new revision, and every
-- revision stays in suggestion_history.
CREATE OR REPLACE TEMP TABLE _sg_changed AS
SELECT n.*,
       coalesce(s.revision, 0) + 1 AS revision,
       s.suggestion_id IS NULL AS is_new
FROM _sg_now AS n
LEFT JOIN recon_store.suggestions AS s USING (suggestion_id)
WHERE s.suggestion_id IS NULL
   OR s.amount <> n.amount
   OR s.currency <> n.currency
   OR s.customer_id IS DISTINCT FROM n.customer_id
   OR s.detail::VARCHAR <> n.detail::VARCHAR;
INSERT INTO recon_store.suggestion_history
SELECT suggestion_id, revision, $run_id, $now, amount, currency, customer_id, detail
FROM _sg_changed;
UPDATE recon_store.suggestions AS s SET
    amount = c.amount,
    currency = c.currency,
    customer_id = c.customer_id,
    detail = c.detail,
    revision = c.revision,
    updated_run = $run_id
FROM _sg_changed AS c
WHERE c.suggestion_id = s.suggestion_id AND NOT c.is_new;
INSERT INTO recon_store.suggestions
SELECT suggestion_id, exception_id, kind, alternative, amount, currency, customer_id, detail,
       1, $run_id, $run_id, $run_id
FROM _sg_changed
WHERE is_new;
UPDATE recon_store.suggestions SET last_run = $run_id
WHERE suggestion_id IN (SELECT suggestion_id FROM _sg_now);
DROP TABLE _sg_changed;
DROP TABLE _sg_now;
