-- Store schema 1 -> 2: findings about one row of an extract were keyed by the row's own id
-- (`DUPLICATE_DEBIT|SAME_REQUEST|ledger:E123`), which the next business day may reuse.
-- Version 2 keys them by transfer and the row's instant (recon/findings/*.sql):
--   DUPLICATE_DEBIT|<subtype>|<txn_ref>|ledger@<posted_at>#n
--   DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|<txn_ref>|gateway@<gateway_at>#n
--   INVOICE|DUPLICATE|<txn_ref>|invoices@<issued_at>#n
--   HALF_COMPLETED|CHANNEL_*|<request txn_ref>|channel@<requested_at>|<debit_account>#n
-- The instant comes from the source row the store captured as evidence (else, for debits
-- and charges, from event_at, which is that row's instant). The exception_id stays: analysts
-- know the case by it. A key that cannot be rebuilt (no captured row) is left as it was.
CREATE OR REPLACE TEMP TABLE _store_rekey AS
WITH old AS (
    SELECT e.exception_id, e.type, e.subtype, e.txn_ref, e.event_at,
           substr(e.finding_key, length(e.type || '|' || e.subtype || '|') + 1) AS item
    FROM recon_store.exceptions AS e
    WHERE e.finding_key LIKE e.type || '|' || e.subtype || '|%:%'
),
parsed AS (
    SELECT o.*, split_part(o.item, ':', 1) AS source, substr(o.item, strpos(o.item, ':') + 1) AS id
    FROM old AS o
    WHERE split_part(o.item, ':', 1) IN ('ledger', 'gateway', 'invoices', 'channel')
),
captured AS (
    SELECT p.*,
           (SELECT arg_min(ev."row", ev.position) FROM recon_store.evidence_rows AS ev
            WHERE ev.exception_id = p.exception_id AND ev.source = p.source AND ev.key = p.id)
               AS "row"
    FROM parsed AS p
),
based AS (
    SELECT exception_id, id,
           CASE source
               WHEN 'ledger' THEN type || '|' || subtype || '|' || txn_ref || '|ledger@'
                   || recon_key_time(coalesce(("row"->>'posted_at')::TIMESTAMPTZ, event_at))
               WHEN 'gateway' THEN type || '|' || subtype || '|' || txn_ref || '|gateway@'
                   || recon_key_time(coalesce(("row"->>'gateway_at')::TIMESTAMPTZ, event_at))
               WHEN 'invoices' THEN type || '|' || subtype || '|' || txn_ref || '|invoices@'
                   || recon_key_time(("row"->>'issued_at')::TIMESTAMPTZ)
               ELSE type || '|' || subtype || '|' || coalesce("row"->>'txn_ref', '')
                   || '|channel@' || recon_key_time(("row"->>'requested_at')::TIMESTAMPTZ)
                   || '|' || coalesce("row"->>'debit_account', '')
           END AS base
    FROM captured
)
SELECT exception_id,
       base || '#' || row_number() OVER (PARTITION BY base ORDER BY id) AS finding_key
FROM based
WHERE base IS NOT NULL;
UPDATE recon_store.exceptions AS e SET finding_key = r.finding_key
FROM _store_rekey AS r
WHERE e.exception_id = r.exception_id;
DROP TABLE _store_rekey;
