-- The four extracts as typed views over the slots (CONTRACT.md section 1 columns, in order,
-- plus `part`: which file of the source the row goes to).

CREATE OR REPLACE TEMP VIEW gen_ledger AS
SELECT
    'E' || lpad((x.i * 8 + l.leg)::VARCHAR, 11, '0') AS entry_id,
    x.txn_ref,
    CASE
        WHEN l.acct = 'payer' THEN x.payer
        WHEN x.ext THEN x.clearing
        ELSE x.payee_internal
    END AS account_id,
    l.direction,
    CASE l.amt WHEN 'partial' THEN x.partial_amount ELSE x.amount END AS amount,
    x.currency,
    l.status,
    x.day_start + to_milliseconds((x.t_ms + l.dt_ms + x.jitter_ms) // 1000 * 1000) AS posted_at,
    CASE l.req WHEN 'case' THEN x.case_request_id ELSE x.request_id END AS request_id,
    CASE WHEN l.rev_leg IS NOT NULL THEN 'E' || lpad((x.i * 8 + l.rev_leg)::VARCHAR, 11, '0') END
        AS reversal_of,
    x.part
FROM (SELECT x, unnest(t.ledger_map[x.kind]) AS l FROM gen_x x, gen_tpl t);

CREATE OR REPLACE TEMP VIEW gen_channel AS
SELECT
    x.request_id,
    CASE
        WHEN c.idem = 'case' THEN x.case_key
        WHEN x.has_idem THEN x.own_key
    END AS idempotency_key,
    x.channel,
    x.customer_id,
    x.payer AS debit_account,
    CASE WHEN x.ext THEN x.payee_external ELSE x.payee_internal END AS credit_account,
    x.amount,
    x.currency,
    x.day_start + to_milliseconds(x.t_ms) AS requested_at,
    CASE
        WHEN c.status IN ('BUSY', 'BIZ') THEN 'FAILED'
        WHEN c.status = 'FAIL_ANY' THEN CASE WHEN x.fail_is_timeout THEN 'TIMEOUT' ELSE 'FAILED' END
        ELSE c.status
    END AS status,
    CASE
        WHEN c.status = 'BUSY' THEN 'SYSTEM_BUSY'
        WHEN c.status = 'BIZ' THEN x.biz_error
        WHEN c.status = 'TIMEOUT' THEN 'TIMEOUT'
        WHEN c.status = 'FAIL_ANY' THEN CASE WHEN x.fail_is_timeout THEN 'TIMEOUT' ELSE 'SYSTEM_BUSY' END
    END AS error_code,
    CASE WHEN c.has_txn THEN x.txn_ref END AS txn_ref,
    x.remark,
    x.part
FROM (SELECT x, unnest(t.channel_map[x.kind]) AS c FROM gen_x x, gen_tpl t);

CREATE OR REPLACE TEMP VIEW gen_gateway AS
SELECT
    'GW' || x.date_tag || lpad((x.i * 4 + g.g)::VARCHAR, 10, '0') AS gateway_ref,
    x.txn_ref,
    CASE g.amt WHEN 'off' THEN x.off_amount ELSE x.amount END AS amount,
    x.currency,
    x.fee,
    g.status,
    x.day_start + to_milliseconds(x.t_ms + g.dt_ms + x.jitter_ms * 7 + gen_h(x.seed, x.i * 4 + g.g, 'gw') % 1000)
        AS gateway_at,
    x.invoice_required::BOOLEAN AS invoice_required,
    x.part
FROM (SELECT x, unnest(t.gateway_map[x.kind]) AS g FROM gen_x x, gen_tpl t WHERE x.ext);

CREATE OR REPLACE TEMP VIEW gen_invoices AS
SELECT
    'INV' || x.date_tag || lpad((x.i * 4 + v.n)::VARCHAR, 10, '0') AS invoice_id,
    x.txn_ref,
    CASE v.amt WHEN 'off' THEN x.off_amount ELSE x.amount END AS amount,
    v.status,
    x.day_start + to_milliseconds((x.t_ms + v.dt_ms + x.jitter_ms * 9) // 1000 * 1000) AS issued_at,
    x.part
FROM (SELECT x, unnest(t.invoice_map[x.kind]) AS v FROM gen_x x, gen_tpl t WHERE x.ext)
WHERE (v.cond = 'always' OR coalesce(x.invoice_required, 'true') <> 'false');

-- The same rows as text, the way the source systems export CSV and JSON lines: the ledger in
-- the business time zone without offset (or with Z in UTC), channel in UTC with Z, gateway
-- with milliseconds and +00:00, invoices with +00:00.
CREATE OR REPLACE TEMP MACRO gen_utc_text(ts, fmt) AS strftime(timezone('UTC', ts), fmt);

CREATE OR REPLACE TEMP VIEW gen_ledger_text AS
SELECT
    entry_id, txn_ref, account_id, direction, amount::VARCHAR AS amount, currency, status,
    CASE
        WHEN (SELECT utc_out FROM gen_params) THEN gen_utc_text(posted_at, '%Y-%m-%dT%H:%M:%SZ')
        ELSE strftime(timezone((SELECT tz FROM gen_params), posted_at), '%Y-%m-%d %H:%M:%S')
    END AS posted_at,
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
