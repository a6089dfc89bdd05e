-- The first finding whose money does not fit DECIMAL(18,2), the exception store's type, as
-- (txn_ref, finding, which money, value). One amount always fits (a longer one does not parse),
-- but a sum or difference of amounts can pass 16 integer digits: findings compute it wide.
SELECT txn_ref, type || '/' || subtype AS finding, what, value
FROM (
    SELECT txn_ref, type, subtype, 'amount' AS what, amount AS value
    FROM findings
    WHERE abs(amount) > $limit
    UNION ALL
    SELECT txn_ref, type, subtype, 'compensation' AS what, compensation AS value
    FROM findings
    WHERE abs(compensation) > $limit
)
ORDER BY txn_ref, finding, what
LIMIT 1
