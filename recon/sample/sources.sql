-- The four extracts as typed views over the slots (CONTRACT.md section 1 columns, in order,
-- plus `part`: which file of the source the row goes to).

CREATE OR REPLACE TEMP VIEW gen_ledger AS
SELECT
    'E' || lpad((i * 8 + l.leg)::VARCHAR, 11, '0') AS entry_id,
    txn_ref,
    CASE
        WHEN l.acct = 'payer' THEN payer
        WHEN ext THEN clearing
        ELSE payee_internal
    END AS account_id,
    l.direction,
    CASE l.amt WHEN 'partial' THEN partial_amount ELSE amount END AS amount,
    currency,
    l.status,
    day_start + to_milliseconds((t_ms + l.dt_ms + jitter_ms) // 1000 * 1000) AS posted_at,
    CASE l.req WHEN 'case' THEN case_request_id ELSE request_id END AS request_id,
    CASE WHEN l.rev_leg IS NOT NULL THEN 'E' || lpad((i * 8 + l.rev_leg)::VARCHAR, 11, '0') END
        AS reversal_of,
    part
FROM (
    SELECT
        i, txn_ref, payer, ext, clearing, payee_internal, amount, partial_amount,
            currency, day_start, t_ms, jitter_ms, case_request_id, request_id, part,
        unnest(t.ledger_map[kind]) AS l
    FROM gen_x, gen_tpl t
);

CREATE OR REPLACE TEMP VIEW gen_channel AS
SELECT
    request_id,
    CASE
        WHEN c.idem = 'case' THEN case_key
        WHEN has_idem THEN own_key
    END AS idempotency_key,
    channel,
    customer_id,
    payer AS debit_account,
    CASE WHEN ext THEN payee_external ELSE payee_internal END AS credit_account,
    amount,
    currency,
    day_start + to_milliseconds(t_ms) AS requested_at,
    CASE
        WHEN c.status IN ('BUSY', 'BIZ') THEN 'FAILED'
        WHEN c.status = 'FAIL_ANY' THEN CASE WHEN fail_is_timeout THEN 'TIMEOUT' ELSE 'FAILED' END
        ELSE c.status
    END AS status,
    CASE
        WHEN c.status = 'BUSY' THEN 'SYSTEM_BUSY'
        WHEN c.status = 'BIZ' THEN biz_error
        WHEN c.status = 'TIMEOUT' THEN 'TIMEOUT'
        WHEN c.status = 'FAIL_ANY' THEN CASE WHEN fail_is_timeout THEN 'TIMEOUT' ELSE 'SYSTEM_BUSY' END
    END AS error_code,
    CASE WHEN c.has_txn THEN txn_ref END AS txn_ref,
    remark,
    part
FROM (
    SELECT
        request_id, case_key, has_idem, own_key, channel, customer_id, payer, ext,
            payee_external, payee_internal, amount, currency, day_start, t_ms, fail_is_timeout,
            biz_error, txn_ref, remark, part,
        unnest(t.channel_map[kind]) AS c
    FROM gen_x, gen_tpl t
);

CREATE OR REPLACE TEMP VIEW gen_gateway AS
SELECT
    'GW' || date_tag || lpad((i * 4 + g.g)::VARCHAR, 10, '0') AS gateway_ref,
    txn_ref,
    CASE g.amt WHEN 'off' THEN off_amount ELSE amount END AS amount,
    gateway_currency AS currency,
    fee,
    g.status,
    day_start + to_milliseconds(t_ms + g.dt_ms + jitter_ms * 7 + gen_h(seed, i * 4 + g.g, 'gw') % 1000)
        AS gateway_at,
    invoice_required::BOOLEAN AS invoice_required,
    part
FROM (
    SELECT
        date_tag, i, txn_ref, off_amount, amount, gateway_currency, fee, day_start, t_ms,
            jitter_ms, seed, invoice_required, part,
        unnest(t.gateway_map[kind]) AS g
    FROM gen_x, gen_tpl t
    WHERE ext
);

CREATE OR REPLACE TEMP VIEW gen_invoices AS
SELECT
    'INV' || date_tag || lpad((i * 4 + v.n)::VARCHAR, 10, '0') AS invoice_id,
    txn_ref,
    CASE v.amt WHEN 'off' THEN off_amount ELSE amount END AS amount,
    v.status,
    day_start + to_milliseconds((t_ms + v.dt_ms + jitter_ms * 9) // 1000 * 1000) AS issued_at,
    part
FROM (
    SELECT
        date_tag, i, txn_ref, off_amount, amount, day_start, t_ms, jitter_ms,
            invoice_required, part,
        unnest(t.invoice_map[kind]) AS v
    FROM gen_x, gen_tpl t
    WHERE ext
)
WHERE (v.cond = 'always' OR coalesce(invoice_required, 'true') <> 'false');

-- The same rows as text, the way the source systems export CSV and JSON lines: the ledger in
-- the business time zone without offset (or with Z in UTC), channel in UTC with Z, gateway
-- with milliseconds and +00:00, invoices with +00:00.
CREATE OR REPLACE TEMP MACRO gen_utc_text(ts, fmt) AS strftime(timezone('UTC', ts), fmt);
CREATE OR REPLACE TEMP MACRO gen_ledger_time_text(ts) AS (
    CASE
        WHEN (SELECT utc_out FROM gen_params) THEN gen_utc_text(ts, '%Y-%m-%dT%H:%M:%SZ')
        ELSE strftime(timezone((SELECT tz FROM gen_params), ts), '%Y-%m-%d %H:%M:%S')
    END
);

CREATE OR REPLACE TEMP VIEW gen_ledger_text AS
SELECT
    entry_id, txn_ref, account_id, direction, amount::VARCHAR AS amount, currency, status,
    gen_ledger_time_text(posted_at) AS posted_at,
    request_id, reversal_of, part
FROM gen_ledger;

CREATE OR REPLACE TEMP VIEW gen_channel_text AS
SELECT
    request_id, idempotency_key, channel, customer_id, debit_account, credit_account,
    amount::VARCHAR AS amount, currency,
    gen_utc_text(requested_at, '%Y-%m-%dT%H:%M:%SZ') AS requested_at,
    status, error_code, txn_ref, remark, part
FROM gen_channel;

CREATE OR REPLACE TEMP VIEW gen_gateway_text AS
SELECT
    gateway_ref, txn_ref, amount::VARCHAR AS amount, currency, fee::VARCHAR AS fee, status,
    gen_utc_text(gateway_at, '%Y-%m-%dT%H:%M:%S.%g+00:00') AS gateway_at,
    CASE WHEN invoice_required THEN 'true' WHEN NOT invoice_required THEN 'false' END
        AS invoice_required,
    part
FROM gen_gateway;

CREATE OR REPLACE TEMP VIEW gen_invoices_text AS
SELECT
    invoice_id, txn_ref, amount::VARCHAR AS amount, status,
    gen_utc_text(issued_at, '%Y-%m-%dT%H:%M:%S+00:00') AS issued_at,
    part
FROM gen_invoices;

-- Credits that reach the ledger after the run, 40 minutes after their debit (the
-- `late_credits` option): a rerun with this file added heals the DEBIT_WITHOUT_CREDIT
-- findings of the kinds below, as the exception store must (CONTRACT.md section 5).
CREATE OR REPLACE TEMP VIEW gen_late_ledger AS
SELECT
    'E' || lpad((i * 8 + 7)::VARCHAR, 11, '0') AS entry_id,
    txn_ref,
    payee_internal AS account_id,
    'C' AS direction,
    amount,
    currency,
    'POSTED' AS status,
    day_start + to_milliseconds(t_ms + 2400000) AS posted_at,
    request_id,
    NULL::VARCHAR AS reversal_of,
    0::BIGINT AS part
FROM gen_x
WHERE region = 'out' AND kind IN ('F_DWC_NONE', 'F_DWC_FAILED');

CREATE OR REPLACE TEMP VIEW gen_late_ledger_text AS
SELECT
    entry_id, txn_ref, account_id, direction, amount::VARCHAR AS amount, currency, status,
    gen_ledger_time_text(posted_at) AS posted_at,
    request_id, reversal_of, part
FROM gen_late_ledger;
