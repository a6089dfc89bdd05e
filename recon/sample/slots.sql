-- One row per transfer slot, every attribute a pure function of (seed, slot): a view, so
-- millions of slots stream straight into COPY without being held in memory.
-- Slots are in time order: [0, a) before the outage, [a, b) the outage (repeating cycles of
-- gen_cycle, so every break is injected there), [b, n) after it. A case's attributes
-- (customer, payee, amount, ...) hash from its first slot `cs`, so retries share them.

-- A seeded pseudo-random non-negative BIGINT for (seed, slot, tag).
CREATE OR REPLACE TEMP MACRO gen_h(seed, x, tag) AS (hash(seed, x, tag) >> 2)::BIGINT;

CREATE OR REPLACE TEMP VIEW gen_slots AS
WITH base AS (
    SELECT
        r.i,
        p.*,
        CASE WHEN r.i < p.a THEN 'pre' WHEN r.i < p.b THEN 'out' ELSE 'post' END AS region,
        CASE WHEN r.i >= p.a AND r.i < p.b THEN 1 + (r.i - p.a) % p.cycle_len END AS pos,
        t.cycle_kind,
        t.cycle_role,
        t.cycle_delay,
        t.cycle_ext,
        t.cycle_inv
    FROM range((SELECT n FROM gen_params)) r(i), gen_params p, gen_tpl t
), placed AS (
    SELECT
        * EXCLUDE (cycle_kind, cycle_role, cycle_delay, cycle_ext, cycle_inv),
        cycle_kind[pos] AS cycle_kind,
        coalesce(cycle_role[pos], 0) AS role,
        coalesce(cycle_delay[pos], 0) AS delay_ms,
        coalesce(cycle_ext[pos], 'any') AS ext_rule,
        coalesce(cycle_inv[pos], 'rand') AS inv_rule,
        i - coalesce(cycle_role[pos], 0) AS cs
    FROM base
), timed AS (
    SELECT
        *,
        CASE region
            WHEN 'pre' THEN (i * 1000 + gen_h(seed, i, 't') % 1000) * pre_ms // (a * 1000)
            WHEN 'out' THEN pre_ms + (cs - a) * outage_ms // (b - a) + delay_ms
            ELSE pre_ms + outage_ms
                + ((i - b) * 1000 + gen_h(seed, i, 't') % 1000) * (post_end_ms - pre_ms - outage_ms)
                    // ((n - b) * 1000)
        END AS t_ms
    FROM placed
)
SELECT
    i,
    cs,
    region,
    coalesce(
        cycle_kind,
        CASE
            WHEN gen_h(seed, i, 'kind') % 1000 < 35 THEN 'N_FAIL'
            -- every third transfer of the last 25 minutes is still in flight at the cutoff
            WHEN t_ms >= inflight_from_ms AND i % 3 = 0 THEN 'L_INFLIGHT'
            ELSE 'N_ANY'
        END
    ) AS kind,
    t_ms // 1000 * 1000 AS t_ms,
    (gen_h(seed, i, 'jit') % 2000)::BIGINT AS jitter_ms,
    (i * parts) // n AS part,
    CASE ext_rule
        WHEN 'int' THEN false
        WHEN 'ext' THEN true
        ELSE gen_h(seed, cs, 'ext') % 100 < 45
    END AS ext,
    1 + gen_h(seed, cs, 'cust') % n_customers AS cust_no,
    1 + (gen_h(seed, cs, 'cust') % n_customers + 1 + gen_h(seed, cs, 'payee') % (n_customers - 1))
        % n_customers AS payee_no,
    gen_h(seed, cs, 'ext_payee') % (n_customers * 4) AS ext_payee_no,
    ['CLR-CNAPS-01', 'CLR-CNAPS-01', 'CLR-UNIONPAY-01', 'CLR-UNIONPAY-01', 'CLR-SWIFT-01']
        [1 + gen_h(seed, cs, 'clr') % 5] AS clearing,
    CASE
        WHEN gen_h(seed, cs, 'chan') % 100 < 49 THEN 'APP'
        WHEN gen_h(seed, cs, 'chan') % 100 < 63 THEN 'API'
        WHEN gen_h(seed, cs, 'chan') % 100 < 76 THEN 'WEB'
        WHEN gen_h(seed, cs, 'chan') % 100 < 84 THEN 'COUNTER'
        WHEN gen_h(seed, cs, 'chan') % 100 < 92 THEN 'ATM'
        ELSE 'POS'
    END AS channel,
    -- log-uniform amounts from 10.00 to about 15,800.00, in whole cents
    floor(pow(10, 3 + 3.2 * (gen_h(seed, cs, 'amt') % 1000003) / 1000003.0))::BIGINT AS amount_cents,
    CASE
        WHEN gen_h(seed, cs, 'fee') % 10 < 4 THEN 0
        WHEN gen_h(seed, cs, 'fee') % 10 < 7 THEN 200
        WHEN gen_h(seed, cs, 'fee') % 10 < 8 THEN 500
        ELSE NULL
    END AS fixed_fee_cents,
    CASE
        WHEN inv_rule = 'req' THEN CASE WHEN gen_h(seed, cs, 'inv') % 3 = 0 THEN NULL ELSE 'true' END
        WHEN gen_h(seed, cs, 'inv') % 100 < 55 THEN 'true'
        WHEN gen_h(seed, cs, 'inv') % 100 < 85 THEN NULL
        ELSE 'false'
    END AS invoice_required,
    gen_h(seed, i, 'idem') % 100 < 75 AS has_idem,
    gen_h(seed, i, 'status') % 2 = 0 AS fail_is_timeout,
    ['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS', 'LIMIT_EXCEEDED', 'INVALID_ACCOUNT']
        [1 + gen_h(seed, i, 'biz') % 4] AS biz_error,
    2 + gen_h(seed, cs, 'part') % 48 AS partial_pct,
    (1 + gen_h(seed, cs, 'delta') % 500) * CASE WHEN gen_h(seed, cs, 'sign') % 2 = 0 THEN 1 ELSE -1 END
        AS delta_cents,
    ['转账', '工资', '房租', '货款', '还款', '生活费', '学费', '网购'][1 + gen_h(seed, cs, 'memo') % 8]
        AS remark,
    seed, day_start, date_tag, currency, gateway_currency, rate_num, rate_den, day_ms, tz, utc_out
FROM timed;

-- Whole cents as exact DECIMAL(18,2) (dividing a DECIMAL in DuckDB would give a DOUBLE).
CREATE OR REPLACE TEMP MACRO gen_money(cents) AS (cents::DECIMAL(18, 0) * 0.01::DECIMAL(3, 2))::DECIMAL(18, 2);

-- Derived identifiers and money of a slot, shared by every extract.
CREATE OR REPLACE TEMP VIEW gen_x AS
SELECT
    s.*,
    'R' || date_tag || lpad(i::VARCHAR, 8, '0') AS request_id,
    'R' || date_tag || lpad(cs::VARCHAR, 8, '0') AS case_request_id,
    'T' || date_tag || lpad(i::VARCHAR, 8, '0') AS txn_ref,
    'IK' || lpad(i::VARCHAR, 12, '0') AS own_key,
    'IK' || lpad(cs::VARCHAR, 12, '0') AS case_key,
    'C' || lpad(cust_no::VARCHAR, 8, '0') AS customer_id,
    'AC' || lpad(cust_no::VARCHAR, 10, '0') AS payer,
    'AC' || lpad(payee_no::VARCHAR, 10, '0') AS payee_internal,
    'EXT' || lpad(ext_payee_no::VARCHAR, 10, '0') AS payee_external,
    gen_money(amount_cents) AS amount,
    gen_money(greatest(1, amount_cents * partial_pct // 100)) AS partial_amount,
    gen_money(amount_cents + delta_cents) AS off_amount,
    gen_money(coalesce(fixed_fee_cents, greatest(1, amount_cents // 1000))) AS fee
FROM gen_slots s;
