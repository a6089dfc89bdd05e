-- Without the source tables (a store-only step) no counterparty is known: suspense stands in.
CREATE OR REPLACE TEMP TABLE _rm_parties AS
SELECT DISTINCT txn_ref, NULL::VARCHAR AS credit_account, NULL::VARCHAR AS payee
FROM exceptions
WHERE txn_ref IS NOT NULL;
