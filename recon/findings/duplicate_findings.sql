-- DUPLICATE_DEBIT findings, one per extra debit or extra gateway charge, on the extra's own
-- txn_ref. The extra money is what the customer is owed interest on.

INSERT INTO _fb_found
SELECT 'DUPLICATE_DEBIT|' || d.subtype || '|' || x.txn_ref || '|ledger@'
           || recon_key_time(x.posted_at) AS finding_key,
       'DUPLICATE_DEBIT' AS type,
       d.subtype,
       x.txn_ref,
       o.txn_ref AS related_txn_ref,
       x.request_id,
       x.account_id,
       x.amount,
       x.currency,
       CASE d.subtype WHEN 'SAME_REQUEST' THEN 'REVERSE_DEBIT' ELSE 'REVIEW_REFUND' END
           AS proposed_action,
       x.posted_at AS event_at,
       x.amount AS comp_basis,
       x.posted_at AS comp_from,
       NULL AS comp_fee,
       ['ledger:' || d.entry_id, 'ledger:' || d.original] AS evidence,
       d.entry_id AS tie
FROM _fb_dup AS d
JOIN _fb_booked AS x ON x.entry_id = d.entry_id
JOIN _fb_booked AS o ON o.entry_id = d.original
JOIN _fb_txn AS t ON t.txn_ref = x.txn_ref
WHERE NOT t.in_flight;

-- The extra charge left through the gateway: recall it and refund its fee. Interest runs
-- from the transfer's debit (filled in later), or without one from the charge itself.
INSERT INTO _fb_found
SELECT 'DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|' || g.txn_ref || '|gateway@'
           || recon_key_time(g.gateway_at) AS finding_key,
       'DUPLICATE_DEBIT' AS type,
       'GATEWAY_DOUBLE_CHARGE' AS subtype,
       g.txn_ref,
       NULL AS related_txn_ref,
       NULL AS request_id,
       NULL AS account_id,
       g.amount,
       g.currency,
       'RECALL_PAYMENT' AS proposed_action,
       g.gateway_at AS event_at,
       g.amount AS comp_basis,
       NULL AS comp_from,
       CASE WHEN $refund_gateway_fee THEN g.fee ELSE 0 END AS comp_fee,
       ['gateway:' || g.gateway_ref, 'gateway:' || g.original] AS evidence,
       g.gateway_ref AS tie
FROM _fb_double AS g
JOIN _fb_txn AS t ON t.txn_ref = g.txn_ref
WHERE NOT t.in_flight;
