-- INVOICE findings. The payment is the first SUCCESS gateway record; without one, the last
-- attempted (non-refund) record; the money at stake falls back to the invoice amount.
-- Columns: finding_key, type, subtype, txn_ref, related_txn_ref, request_id, account_id,
-- amount, currency, proposed_action, event_at, comp_basis, comp_from, comp_fee, evidence, tie,
-- tie_no.

INSERT INTO _fb_found
SELECT 'INVOICE|MISSING|' || txn_ref, 'INVOICE', 'MISSING', txn_ref, NULL, NULL, NULL,
       paid_amount, NULL, 'ISSUE_INVOICE', NULL, NULL, NULL, NULL, ['@payment'], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND success_n > 0 AND booked_all_n > 0 AND invoice_required
  AND issued_n = 0;

INSERT INTO _fb_found
SELECT 'INVOICE|AMOUNT_MISMATCH|' || txn_ref, 'INVOICE', 'AMOUNT_MISMATCH', txn_ref, NULL,
       NULL, NULL, abs(invoice_amount - paid_amount), NULL, 'REISSUE_INVOICE', NULL, NULL,
       NULL, NULL, ['invoices:' || invoice_id, '@payment'], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND issued_n > 0 AND success_n > 0 AND invoice_amount <> paid_amount;

-- Failed: no SUCCESS payment, or the debit was reversed and none stays booked.
INSERT INTO _fb_found
SELECT 'INVOICE|ON_FAILED_PAYMENT|' || txn_ref, 'INVOICE', 'ON_FAILED_PAYMENT', txn_ref, NULL,
       NULL, NULL, coalesce(paid_amount, attempted_amount, invoice_amount), NULL,
       'VOID_INVOICE', NULL, NULL, NULL, NULL, ['invoices:' || invoice_id], NULL, NULL
FROM _fb_txn
WHERE NOT in_flight AND issued_n > 0
  AND (success_n = 0 OR (debit_reversed AND booked_all_n = 0));

-- One finding per ISSUED invoice after the first (by issued_at, invoice_id). Its `tie_no`
-- (transfers.sql) counts the transfer's invoices at its instant and amount with a smaller
-- invoice_id, whatever their status (one voided since still counts), the first left out.
INSERT INTO _fb_found
WITH extra AS (
    SELECT t.txn_ref, coalesce(t.paid_amount, t.attempted_amount, i.amount) AS at_stake,
           t.invoice_id AS original, i.invoice_id, i.amount, i.issued_at
    FROM _fb_txn AS t
    JOIN invoices AS i ON i.txn_ref = t.txn_ref
    WHERE NOT t.in_flight AND t.issued_n > 1 AND i.status = 'ISSUED'
      AND i.invoice_id <> t.invoice_id
),
numbered AS (
    SELECT e.invoice_id, 1 + count(p.invoice_id) AS tie_no
    FROM extra AS e
    LEFT JOIN (
        SELECT invoice_id, txn_ref, amount, issued_at
        FROM invoices
        WHERE txn_ref IN (SELECT txn_ref FROM extra)
    ) AS p
        ON p.txn_ref = e.txn_ref
        AND p.issued_at = e.issued_at
        AND p.amount = e.amount
        AND p.invoice_id < e.invoice_id
        AND p.invoice_id <> e.original
    GROUP BY e.invoice_id
)
SELECT 'INVOICE|DUPLICATE|' || e.txn_ref || '|invoices@' || recon_key_time(e.issued_at),
       'INVOICE', 'DUPLICATE', e.txn_ref, NULL, NULL, NULL, e.at_stake, NULL, 'VOID_INVOICE',
       NULL, NULL, NULL, NULL, ['invoices:' || e.invoice_id, 'invoices:' || e.original],
       e.invoice_id, n.tie_no
FROM extra AS e
JOIN numbered AS n ON n.invoice_id = e.invoice_id;
