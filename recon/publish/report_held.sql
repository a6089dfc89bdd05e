-- publish_held: the open exceptions, each marked with the money its transfer holds. A
-- transfer's money is at stake once however many findings name it: per currency and txn_ref
-- (a finding without txn_ref is a transfer of its own), `held_amount` is the largest amount
-- any of its findings names and `holds` marks one finding (the largest, then the first
-- exception id) to count it on. Sums of `amount` FILTER (WHERE holds) are distinct money.
CREATE OR REPLACE TEMP VIEW publish_held AS
SELECT
    *,
    max(amount) OVER transfer AS held_amount,
    row_number() OVER (transfer ORDER BY amount DESC NULLS LAST, exception_id) = 1 AS holds
FROM publish_cases
WINDOW transfer AS (
    PARTITION BY currency, txn_ref, CASE WHEN txn_ref IS NULL THEN exception_id END
);
