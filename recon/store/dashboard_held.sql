-- The money the open queue holds, per currency, each transfer once however many open
-- exceptions name it (the report's rule, recon/publish/report_held.sql): per currency and
-- txn_ref the largest amount any of them names; an exception without txn_ref is a transfer
-- of its own.
WITH per_transfer AS (
    SELECT currency, max(amount) AS held
    FROM _store_aged
    WHERE status IN ('OPEN', 'ASSIGNED')
    GROUP BY currency, txn_ref, CASE WHEN txn_ref IS NULL THEN exception_id END
)
SELECT currency, coalesce(sum(held), 0)::DECIMAL(38, 2) AS held
FROM per_transfer
GROUP BY currency
ORDER BY currency;
