-- The findings one policy applies to ($applies_to: types or TYPE/SUBTYPE; empty: all), with
-- the money they hold and the whole days from when it was held (or the event) to the cutoff.
-- `first_of_transfer` marks one finding per transfer (the one holding money first): a
-- transfer several findings point at is paid a per-case sum once.
CREATE OR REPLACE TEMP TABLE _cp_match AS
SELECT f.exception_id, f.type, f.subtype, f.customer_id, f.currency, f.amount, f.evidence,
       b.held_amount,
       coalesce(b.held_since, f.event_at) AS since,
       (epoch_us($cutoff::TIMESTAMPTZ) - epoch_us(coalesce(b.held_since, f.event_at))
           + 86399999999)::HUGEINT // 86400000000 AS days_since,
       row_number() OVER (
           PARTITION BY coalesce(f.txn_ref, f.exception_id)
           ORDER BY coalesce(b.held_amount, 0) > 0 DESC, f.exception_id
       ) = 1 AS first_of_transfer
FROM findings AS f
LEFT JOIN compensation_basis AS b USING (finding_key)
WHERE len($applies_to::VARCHAR[]) = 0
   OR list_contains($applies_to::VARCHAR[], f.type)
   OR list_contains($applies_to::VARCHAR[], f.type || '/' || f.subtype);
