-- INVOICE findings. The payment is the first SUCCESS gateway record; without one, the last
-- attempted (non-refund) record; the money at stake falls back to the invoice amount.

INSERT INTO _fb_found
SELECT 'INVOICE|MISSING|' || txn_ref, 'INVOICE', 'MISSING', txn_ref, NULL, ledger_request,
       channel_request, account_id, paid_amount, currency, 'ISSUE_INVOICE',
       coalesce(debit_at, first_debit_at, first_at), NULL, NULL, NULL,
       ['gateway:' || paid_ref]
FROM _fb_txn
WHERE NOT in_flight AND success_n > 0 AND booked_all_n > 0 AND invoice_required
  AND issued_n = 0;

INSERT INTO _fb_found
SELECT 'INVOICE|AMOUNT_MISMATCH|' || txn_ref, 'INVOICE', 'AMOUNT_MISMATCH', txn_ref, NULL,
       ledger_request, channel_request, account_id, abs(invoice_amount - paid_amount),
       currency, 'REISSUE_INVOICE', coalesce(debit_at, first_debit_at, first_at),
       NULL, NULL, NULL, ['invoices:' || invoice_id, 'gateway:' || paid_ref]
FROM _fb_txn
WHERE NOT in_flight AND issued_n > 0 AND success_n > 0 AND invoice_amount <> paid_amount;

-- Failed: no SUCCESS payment, or the debit was reversed and none stays booked.
INSERT INTO _fb_found
SELECT 'INVOICE|ON_FAILED_PAYMENT|' || txn_ref, 'INVOICE', 'ON_FAILED_PAYMENT', txn_ref, NULL,
       ledger_request, channel_request, account_id,
       coalesce(paid_amount, attempted_amount, invoice_amount), currency, 'VOID_INVOICE',
       coalesce(debit_at, first_debit_at, first_at), NULL, NULL, NULL,
       ['invoices:' || invoice_id]
FROM _fb_txn
WHERE NOT in_flight AND issued_n > 0
  AND (success_n = 0 OR (debit_reversed AND booked_all_n = 0));

-- One finding per ISSUED invoice after the first (by issued_at, invoice_id).
INSERT INTO _fb_found
SELECT 'INVOICE|DUPLICATE|invoices:' || i.invoice_id, 'INVOICE', 'DUPLICATE', t.txn_ref, NULL,
       t.ledger_request, t.channel_request, t.account_id,
       coalesce(t.paid_amount, t.attempted_amount, i.amount), t.currency, 'VOID_INVOICE',
       coalesce(t.debit_at, t.first_debit_at, t.first_at), NULL, NULL, NULL,
       ['invoices:' || i.invoice_id, 'invoices:' || t.invoice_id]
FROM _fb_txn AS t
JOIN invoices AS i ON i.txn_ref = t.txn_ref
WHERE NOT t.in_flight AND t.issued_n > 1 AND i.status = 'ISSUED'
  AND i.invoice_id <> t.invoice_id;
