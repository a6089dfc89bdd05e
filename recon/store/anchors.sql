-- The row each open (or resolved) exception this run no longer finds is about: the first item
-- of its evidence (`ledger:E5`: the extra or booked debit, the request, the payment, the
-- invoice). classify.sql heals it, and double_credit.sql flags it, only if this run read that
-- row again (same id, same transfer; anchor_seen.sql, one part per source table present): a
-- next-day extract holding a partial late credit, or a second failed attempt, names the
-- transfer in the right source but cannot show the debit was settled, and an id reused the
-- next day names another transfer. An exception without such an item is not held back.
CREATE OR REPLACE TEMP TABLE _store_anchor AS
SELECT exception_id, txn_ref,
       lower(trim(split_part(item, ':', 1))) AS source,
       trim(substr(item, strpos(item, ':') + 1)) AS key
FROM (
    SELECT exception_id, txn_ref, split_part(coalesce(evidence, ''), ';', 1) AS item
    FROM recon_store.exceptions
    WHERE status IN ('OPEN', 'ASSIGNED', 'RESOLVED')
      AND exception_id NOT IN (SELECT exception_id FROM findings)
)
WHERE strpos(item, ':') > 0;
