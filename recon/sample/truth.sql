-- The answer key: one row per finding the injected slots must raise, with the customer, the
-- money at stake and the compensation under the default policy (CONTRACT.md section 4):
-- interest = amount * annual_rate * days / 365, days = max(1, ceil((cutoff - debit) / 1 day)),
-- rounded half-up to cents, in exact integer arithmetic (rate = rate_num / rate_den).
CREATE OR REPLACE TEMP VIEW gen_truth AS
WITH found AS (
    SELECT
        t.type,
        t.subtype,
        x.txn_ref,
        x.customer_id,
        x.currency,
        CASE t.amt
            WHEN 'rest' THEN x.amount_cents - greatest(1, x.amount_cents * x.partial_pct // 100)
            WHEN 'delta' THEN abs(x.delta_cents)
            ELSE x.amount_cents
        END AS amount_cents,
        t.comp,
        CASE WHEN t.comp = 'interest_fee' THEN (x.fee * 100)::BIGINT ELSE 0 END AS fee_cents,
        greatest(1, (x.day_ms - (x.t_ms + 1000 + x.jitter_ms) + 86399999) // 86400000) AS days,
        x.rate_num,
        x.rate_den,
        x.i,
        t.n,
        x.kind
    FROM (
        SELECT x, unnest(tpl.truth_map[x.kind]) AS t
        FROM gen_x x, gen_tpl tpl
        WHERE x.region = 'out'
    )
)
SELECT
    type,
    subtype,
    txn_ref,
    customer_id,
    gen_money(amount_cents) AS amount,
    currency,
    gen_money(
        CASE
            WHEN comp = 'none' THEN 0
            ELSE (2 * amount_cents::HUGEINT * rate_num * days + rate_den * 365)
                // (2 * rate_den * 365)
        END + fee_cents
    ) AS compensation,
    i,
    n,
    -- a late credit (gen_late_ledger) settles these: a rerun with it heals them
    kind IN ('F_DWC_NONE', 'F_DWC_FAILED') AND subtype = 'DEBIT_WITHOUT_CREDIT' AS healed_by_late_credit
FROM found;
