-- Set or clear the store's approval limit (approval_limit.py); the APPROVAL_LIMIT_SET event
-- is already appended. $value NULL clears it.
DELETE FROM recon_store.store_info WHERE key = 'approvals_admin_above';
INSERT INTO recon_store.store_info
SELECT 'approvals_admin_above', $value::VARCHAR WHERE $value::VARCHAR IS NOT NULL;
