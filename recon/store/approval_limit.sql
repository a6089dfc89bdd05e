-- The store's approval limit (approval_limit.py): the amount above which only an admin
-- approves or rejects a proposal; no row means none.
SELECT value FROM recon_store.store_info WHERE key = 'approvals_admin_above';
