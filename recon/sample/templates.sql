-- What each kind of slot writes into each extract, and which findings it must raise.
-- A *case* is one customer story (a transfer, or a retry chain of 2-3 transfers); each of its
-- transfers is a *slot* whose role kind picks rows from the templates below. Gateway and
-- invoice rows are written only for external slots. Kinds starting with N_ are normal
-- traffic, L_ look-alikes that must NOT be flagged, F_ injected breaks (CONTRACT.md section 4).

-- Cases repeated in every outage cycle: roles, delay of each role after the case start (ms),
-- int/ext/any (external = credit to a clearing account + gateway record), invoice rule.
CREATE OR REPLACE TEMP TABLE gen_cases AS
SELECT * FROM (VALUES
    (1,  'N_ANY',            ['N_ANY'],                               [0],                 'any', 'rand', 4),
    (2,  'N_FAIL',           ['N_FAIL'],                              [0],                 'any', 'rand', 1),
    (3,  'L_RETRY_OK',       ['L_BUSY_NOTBOOKED', 'N_ANY'],           [0, 40000],          'any', 'rand', 1),
    (4,  'L_REPEAT',         ['N_ANY', 'N_ANY'],                      [0, 150000],         'any', 'rand', 1),
    (5,  'L_REVERSED',       ['L_REVERSED'],                          [0],                 'any', 'rand', 1),
    (6,  'L_LATE_CREDIT',    ['L_LATE_CREDIT'],                       [0],                 'int', 'rand', 1),
    (7,  'L_REFUNDED',       ['L_REFUNDED'],                          [0],                 'ext', 'rand', 1),
    (8,  'L_VOID_REISSUE',   ['L_VOID_REISSUE'],                      [0],                 'ext', 'req',  1),
    (9,  'F_SR_REQ',         ['F_SR_REQ_A', 'F_SR_REQ_B'],            [0, 5000],           'int', 'rand', 1),
    (10, 'F_SR_IDEM',        ['F_SR_IDEM_A', 'F_SR_IDEM_B'],          [0, 60000],          'any', 'rand', 1),
    (11, 'F_SR_LEG',         ['F_SR_LEG'],                            [0],                 'int', 'rand', 1),
    (12, 'F_RETRY2',         ['F_RETRY_A', 'F_RETRY_B'],              [0, 90000],          'any', 'rand', 1),
    (13, 'F_RETRY3',         ['F_RETRY_A', 'F_RETRY_M', 'F_RETRY_B'], [0, 90000, 200000],  'any', 'rand', 1),
    (14, 'F_DWC_NONE',       ['F_DWC_NONE'],                          [0],                 'int', 'rand', 1),
    (15, 'F_DWC_FAILED',     ['F_DWC_FAILED'],                        [0],                 'int', 'rand', 1),
    (16, 'F_DWC_PARTIAL',    ['F_DWC_PARTIAL'],                       [0],                 'int', 'rand', 1),
    (17, 'F_DWC_TIMEOUT',    ['F_DWC_TIMEOUT'],                       [0],                 'int', 'rand', 1),
    (18, 'F_STUCK_CREDIT',   ['F_STUCK_CREDIT'],                      [0],                 'int', 'rand', 1),
    (19, 'F_STUCK_DEBIT',    ['F_STUCK_DEBIT'],                       [0],                 'int', 'rand', 1),
    (20, 'F_BGF_FAILED',     ['F_BGF_FAILED'],                        [0],                 'ext', 'rand', 1),
    (21, 'F_BGF_NOREC',      ['F_BGF_NOREC'],                         [0],                 'ext', 'rand', 1),
    (22, 'F_BGF_DWC',        ['F_BGF_DWC'],                           [0],                 'ext', 'rand', 1),
    (23, 'F_BGF_INV',        ['F_BGF_INV'],                           [0],                 'ext', 'req',  1),
    (24, 'F_GNB',            ['F_GNB'],                               [0],                 'ext', 'rand', 1),
    (25, 'F_CSNB',           ['F_CSNB'],                              [0],                 'int', 'rand', 1),
    (26, 'F_CSNB_FAILED',    ['F_CSNB_FAILED'],                       [0],                 'int', 'rand', 1),
    (27, 'F_CFBB',           ['F_CFBB'],                              [0],                 'any', 'rand', 1),
    (28, 'F_GDC',            ['F_GDC'],                               [0],                 'ext', 'rand', 1),
    (29, 'F_AMT',            ['F_AMT'],                               [0],                 'ext', 'rand', 1),
    (30, 'F_INV_MISSING',    ['F_INV_MISSING'],                       [0],                 'ext', 'req',  1),
    (31, 'F_INV_AMT',        ['F_INV_AMT'],                           [0],                 'ext', 'req',  1),
    (32, 'F_INV_FAILED_REV', ['F_INV_FAILED_REV'],                    [0],                 'ext', 'req',  1),
    (33, 'F_INV_FAILED_NB',  ['F_INV_FAILED_NB'],                     [0],                 'ext', 'req',  1),
    (34, 'F_INV_DUP',        ['F_INV_DUP'],                           [0],                 'ext', 'req',  1),
    (35, 'F_INV_DUP3',       ['F_INV_DUP3'],                          [0],                 'ext', 'req',  1)
) t(ord, case_kind, roles, delays_ms, ext, inv, per_cycle);

-- One outage cycle: every case laid out slot by slot (pos 0 .. L-1).
CREATE OR REPLACE TEMP TABLE gen_cycle AS
WITH copies AS (
    SELECT c.*, r.copy, len(c.roles) AS width
    FROM gen_cases c, range(c.per_cycle) r(copy)
), placed AS (
    SELECT *,
        coalesce(sum(width) OVER (ORDER BY copy, ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
            AS start_pos
    FROM copies
)
SELECT
    (start_pos + r.role)::BIGINT AS pos,
    r.role::BIGINT AS role,
    roles[r.role + 1] AS kind,
    delays_ms[r.role + 1]::BIGINT AS delay_ms,
    ext,
    inv,
    case_kind
FROM placed, range(width) r(role);

-- Channel request of a slot. status: SUCCESS, PENDING, TIMEOUT, BUSY (FAILED/SYSTEM_BUSY),
-- FAIL_ANY (TIMEOUT or BUSY), BIZ (FAILED with a business reason). idem: own (random) or
-- case (the case's key, shared by its retries).
CREATE OR REPLACE TEMP TABLE gen_channel_t AS
SELECT * FROM (VALUES
    ('N_ANY', 'SUCCESS', true, 'own'),
    ('N_FAIL', 'BIZ', false, 'own'),
    ('L_BUSY_NOTBOOKED', 'BUSY', false, 'own'),
    ('L_INFLIGHT', 'PENDING', true, 'own'),
    ('L_REVERSED', 'BUSY', true, 'own'),
    ('L_LATE_CREDIT', 'SUCCESS', true, 'own'),
    ('L_REFUNDED', 'SUCCESS', true, 'own'),
    ('L_VOID_REISSUE', 'SUCCESS', true, 'own'),
    ('F_SR_REQ_A', 'SUCCESS', true, 'own'),
    ('F_SR_IDEM_A', 'TIMEOUT', true, 'case'),
    ('F_SR_IDEM_B', 'SUCCESS', true, 'case'),
    ('F_SR_LEG', 'SUCCESS', true, 'own'),
    ('F_RETRY_A', 'FAIL_ANY', true, 'own'),
    ('F_RETRY_M', 'FAIL_ANY', true, 'own'),
    ('F_RETRY_B', 'SUCCESS', true, 'own'),
    ('F_DWC_NONE', 'SUCCESS', true, 'own'),
    ('F_DWC_FAILED', 'SUCCESS', true, 'own'),
    ('F_DWC_PARTIAL', 'SUCCESS', true, 'own'),
    ('F_DWC_TIMEOUT', 'TIMEOUT', true, 'own'),
    ('F_STUCK_CREDIT', 'SUCCESS', true, 'own'),
    ('F_STUCK_DEBIT', 'PENDING', true, 'own'),
    ('F_BGF_FAILED', 'SUCCESS', true, 'own'),
    ('F_BGF_NOREC', 'SUCCESS', true, 'own'),
    ('F_BGF_DWC', 'SUCCESS', true, 'own'),
    ('F_BGF_INV', 'SUCCESS', true, 'own'),
    ('F_GNB', 'TIMEOUT', true, 'own'),
    ('F_CSNB', 'SUCCESS', true, 'own'),
    ('F_CSNB_FAILED', 'SUCCESS', true, 'own'),
    ('F_CFBB', 'FAIL_ANY', true, 'own'),
    ('F_GDC', 'SUCCESS', true, 'own'),
    ('F_AMT', 'SUCCESS', true, 'own'),
    ('F_INV_MISSING', 'SUCCESS', true, 'own'),
    ('F_INV_AMT', 'SUCCESS', true, 'own'),
    ('F_INV_FAILED_REV', 'BUSY', true, 'own'),
    ('F_INV_FAILED_NB', 'BUSY', true, 'own'),
    ('F_INV_DUP', 'SUCCESS', true, 'own'),
    ('F_INV_DUP3', 'SUCCESS', true, 'own')
) t(kind, status, has_txn, idem);

-- Ledger legs. acct: payer, or payee (a clearing account when external). amt: full, or
-- partial (a short credit). req: own request, or the case's first request. rev_leg: the leg
-- this posting reverses.
CREATE OR REPLACE TEMP TABLE gen_ledger_t AS
SELECT * FROM (VALUES
    ('N_ANY', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('N_ANY', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('L_INFLIGHT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('L_INFLIGHT', 2, 'C', 'payee', 'PENDING', 'full', 1500, 'own', NULL),
    ('L_REVERSED', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('L_REVERSED', 2, 'C', 'payee', 'FAILED', 'full', 1500, 'own', NULL),
    ('L_REVERSED', 3, 'C', 'payer', 'POSTED', 'full', 180000, 'own', 1),
    ('L_LATE_CREDIT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('L_LATE_CREDIT', 2, 'C', 'payee', 'POSTED', 'full', 1200000, 'own', NULL),
    ('L_REFUNDED', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('L_REFUNDED', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('L_VOID_REISSUE', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('L_VOID_REISSUE', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_SR_REQ_A', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_SR_REQ_A', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_SR_REQ_B', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'case', NULL),
    ('F_SR_REQ_B', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'case', NULL),
    ('F_SR_IDEM_A', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_SR_IDEM_A', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_SR_IDEM_B', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_SR_IDEM_B', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_SR_LEG', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_SR_LEG', 2, 'D', 'payer', 'POSTED', 'full', 2000, 'own', NULL),
    ('F_SR_LEG', 3, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_RETRY_A', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_RETRY_A', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_RETRY_M', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_RETRY_M', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_RETRY_B', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_RETRY_B', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_DWC_NONE', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_DWC_FAILED', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_DWC_FAILED', 2, 'C', 'payee', 'FAILED', 'full', 1500, 'own', NULL),
    ('F_DWC_PARTIAL', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_DWC_PARTIAL', 2, 'C', 'payee', 'POSTED', 'partial', 1500, 'own', NULL),
    ('F_DWC_TIMEOUT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_STUCK_CREDIT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_STUCK_CREDIT', 2, 'C', 'payee', 'PENDING', 'full', 1500, 'own', NULL),
    ('F_STUCK_DEBIT', 1, 'D', 'payer', 'PENDING', 'full', 1000, 'own', NULL),
    ('F_BGF_FAILED', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_BGF_FAILED', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_BGF_NOREC', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_BGF_NOREC', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_BGF_DWC', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_BGF_INV', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_BGF_INV', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_GNB', 1, 'D', 'payer', 'FAILED', 'full', 1000, 'own', NULL),
    ('F_CSNB_FAILED', 1, 'D', 'payer', 'FAILED', 'full', 1000, 'own', NULL),
    ('F_CSNB_FAILED', 2, 'C', 'payee', 'FAILED', 'full', 1500, 'own', NULL),
    ('F_CFBB', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_CFBB', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_GDC', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_GDC', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_AMT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_AMT', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_INV_MISSING', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_INV_MISSING', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_INV_AMT', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_INV_AMT', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_INV_FAILED_REV', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_INV_FAILED_REV', 2, 'C', 'payee', 'FAILED', 'full', 1500, 'own', NULL),
    ('F_INV_FAILED_REV', 3, 'C', 'payer', 'POSTED', 'full', 180000, 'own', 1),
    ('F_INV_FAILED_NB', 1, 'D', 'payer', 'FAILED', 'full', 1000, 'own', NULL),
    ('F_INV_DUP', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_INV_DUP', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL),
    ('F_INV_DUP3', 1, 'D', 'payer', 'POSTED', 'full', 1000, 'own', NULL),
    ('F_INV_DUP3', 2, 'C', 'payee', 'POSTED', 'full', 1500, 'own', NULL)
) t(kind, leg, direction, acct, status, amt, dt_ms, req, rev_leg);

-- Gateway records (external slots only). amt: full, or off (differs from the ledger).
CREATE OR REPLACE TEMP TABLE gen_gateway_t AS
SELECT * FROM (VALUES
    ('N_ANY', 1, 'SUCCESS', 'full', 15000),
    ('L_INFLIGHT', 1, 'PENDING', 'full', 15000),
    ('L_REVERSED', 1, 'FAILED', 'full', 15000),
    ('L_REFUNDED', 1, 'SUCCESS', 'full', 15000),
    ('L_REFUNDED', 2, 'REFUNDED', 'full', 900000),
    ('L_VOID_REISSUE', 1, 'SUCCESS', 'full', 15000),
    ('F_SR_IDEM_A', 1, 'SUCCESS', 'full', 15000),
    ('F_SR_IDEM_B', 1, 'SUCCESS', 'full', 15000),
    ('F_RETRY_A', 1, 'SUCCESS', 'full', 15000),
    ('F_RETRY_M', 1, 'SUCCESS', 'full', 15000),
    ('F_RETRY_B', 1, 'SUCCESS', 'full', 15000),
    ('F_BGF_FAILED', 1, 'FAILED', 'full', 15000),
    ('F_BGF_DWC', 1, 'FAILED', 'full', 15000),
    ('F_BGF_INV', 1, 'FAILED', 'full', 15000),
    ('F_GNB', 1, 'SUCCESS', 'full', 15000),
    ('F_CFBB', 1, 'SUCCESS', 'full', 15000),
    ('F_GDC', 1, 'SUCCESS', 'full', 15000),
    ('F_GDC', 2, 'SUCCESS', 'full', 75000),
    ('F_AMT', 1, 'SUCCESS', 'off', 15000),
    ('F_INV_MISSING', 1, 'SUCCESS', 'full', 15000),
    ('F_INV_AMT', 1, 'SUCCESS', 'full', 15000),
    ('F_INV_FAILED_REV', 1, 'FAILED', 'full', 15000),
    ('F_INV_FAILED_NB', 1, 'FAILED', 'full', 15000),
    ('F_INV_DUP', 1, 'SUCCESS', 'full', 15000),
    ('F_INV_DUP3', 1, 'SUCCESS', 'full', 15000)
) t(kind, g, status, amt, dt_ms);

-- Invoices (external slots only). cond: always, or if_required (invoice_required not false).
CREATE OR REPLACE TEMP TABLE gen_invoice_t AS
SELECT * FROM (VALUES
    ('N_ANY', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('L_REVERSED', 1, 'VOID', 'full', 'always', 45000),
    ('L_REFUNDED', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('L_VOID_REISSUE', 1, 'VOID', 'off', 'always', 45000),
    ('L_VOID_REISSUE', 2, 'ISSUED', 'full', 'always', 120000),
    ('F_SR_IDEM_A', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_SR_IDEM_B', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_RETRY_A', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_RETRY_M', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_RETRY_B', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_BGF_INV', 1, 'ISSUED', 'full', 'always', 45000),
    ('F_CFBB', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_GDC', 1, 'ISSUED', 'full', 'if_required', 45000),
    ('F_AMT', 1, 'ISSUED', 'off', 'if_required', 45000),
    ('F_INV_AMT', 1, 'ISSUED', 'off', 'always', 45000),
    ('F_INV_FAILED_REV', 1, 'ISSUED', 'full', 'always', 45000),
    ('F_INV_FAILED_NB', 1, 'ISSUED', 'full', 'always', 45000),
    ('F_INV_DUP', 1, 'ISSUED', 'full', 'always', 45000),
    ('F_INV_DUP', 2, 'ISSUED', 'full', 'always', 95000),
    ('F_INV_DUP3', 1, 'ISSUED', 'full', 'always', 45000),
    ('F_INV_DUP3', 2, 'ISSUED', 'full', 'always', 95000),
    ('F_INV_DUP3', 3, 'ISSUED', 'full', 'always', 145000)
) t(kind, n, status, amt, cond, dt_ms);

-- The findings each injected slot must raise on its own txn_ref. amt: full (the transfer
-- amount), rest (debit minus the short credit), delta (the mismatch). comp: interest on the
-- finding amount, interest plus the extra gateway record's fee, or none (a debit earns
-- interest once however many findings point at it).
CREATE OR REPLACE TEMP TABLE gen_truth_t AS
SELECT * FROM (VALUES
    ('F_SR_REQ_B', 1, 'DUPLICATE_DEBIT', 'SAME_REQUEST', 'full', 'interest'),
    ('F_SR_IDEM_A', 1, 'HALF_COMPLETED', 'CHANNEL_FAILED_BUT_BOOKED', 'full', 'none'),
    ('F_SR_IDEM_B', 1, 'DUPLICATE_DEBIT', 'SAME_REQUEST', 'full', 'interest'),
    ('F_SR_LEG', 1, 'DUPLICATE_DEBIT', 'SAME_REQUEST', 'full', 'interest'),
    ('F_RETRY_A', 1, 'HALF_COMPLETED', 'CHANNEL_FAILED_BUT_BOOKED', 'full', 'none'),
    ('F_RETRY_M', 1, 'DUPLICATE_DEBIT', 'SUSPECTED_RETRY', 'full', 'interest'),
    ('F_RETRY_B', 1, 'DUPLICATE_DEBIT', 'SUSPECTED_RETRY', 'full', 'interest'),
    ('F_DWC_NONE', 1, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'full', 'interest'),
    ('F_DWC_FAILED', 1, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'full', 'interest'),
    ('F_DWC_PARTIAL', 1, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'rest', 'interest'),
    ('F_DWC_TIMEOUT', 1, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'full', 'interest'),
    ('F_DWC_TIMEOUT', 2, 'HALF_COMPLETED', 'CHANNEL_FAILED_BUT_BOOKED', 'full', 'none'),
    ('F_STUCK_CREDIT', 1, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'full', 'interest'),
    ('F_STUCK_CREDIT', 2, 'HALF_COMPLETED', 'STUCK_PENDING', 'full', 'none'),
    ('F_STUCK_DEBIT', 1, 'HALF_COMPLETED', 'STUCK_PENDING', 'full', 'interest'),
    ('F_BGF_FAILED', 1, 'HALF_COMPLETED', 'BOOKED_GATEWAY_FAILED', 'full', 'interest'),
    ('F_BGF_NOREC', 1, 'HALF_COMPLETED', 'BOOKED_GATEWAY_FAILED', 'full', 'interest'),
    ('F_BGF_DWC', 1, 'HALF_COMPLETED', 'BOOKED_GATEWAY_FAILED', 'full', 'none'),
    ('F_BGF_DWC', 2, 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'full', 'interest'),
    ('F_BGF_INV', 1, 'HALF_COMPLETED', 'BOOKED_GATEWAY_FAILED', 'full', 'interest'),
    ('F_BGF_INV', 2, 'INVOICE', 'ON_FAILED_PAYMENT', 'full', 'none'),
    ('F_GNB', 1, 'HALF_COMPLETED', 'GATEWAY_NOT_BOOKED', 'full', 'none'),
    ('F_CSNB', 1, 'HALF_COMPLETED', 'CHANNEL_SUCCESS_NOT_BOOKED', 'full', 'none'),
    ('F_CSNB_FAILED', 1, 'HALF_COMPLETED', 'CHANNEL_SUCCESS_NOT_BOOKED', 'full', 'none'),
    ('F_CFBB', 1, 'HALF_COMPLETED', 'CHANNEL_FAILED_BUT_BOOKED', 'full', 'none'),
    ('F_GDC', 1, 'DUPLICATE_DEBIT', 'GATEWAY_DOUBLE_CHARGE', 'full', 'interest_fee'),
    ('F_AMT', 1, 'AMOUNT_MISMATCH', 'LEDGER_GATEWAY', 'delta', 'none'),
    ('F_INV_MISSING', 1, 'INVOICE', 'MISSING', 'full', 'none'),
    ('F_INV_AMT', 1, 'INVOICE', 'AMOUNT_MISMATCH', 'delta', 'none'),
    ('F_INV_FAILED_REV', 1, 'INVOICE', 'ON_FAILED_PAYMENT', 'full', 'none'),
    ('F_INV_FAILED_NB', 1, 'INVOICE', 'ON_FAILED_PAYMENT', 'full', 'none'),
    ('F_INV_DUP', 1, 'INVOICE', 'DUPLICATE', 'full', 'none'),
    ('F_INV_DUP3', 1, 'INVOICE', 'DUPLICATE', 'full', 'none'),
    ('F_INV_DUP3', 2, 'INVOICE', 'DUPLICATE', 'full', 'none')
) t(kind, n, type, subtype, amt, comp);

-- The templates folded into one row of lists and maps, looked up per slot with `[]` and
-- `unnest` rather than joined: a join would not keep the slots' time order in the files.
CREATE OR REPLACE TEMP TABLE gen_tpl AS
SELECT
    (SELECT list(kind ORDER BY pos) FROM gen_cycle) AS cycle_kind,
    (SELECT list(role ORDER BY pos) FROM gen_cycle) AS cycle_role,
    (SELECT list(delay_ms ORDER BY pos) FROM gen_cycle) AS cycle_delay,
    (SELECT list(ext ORDER BY pos) FROM gen_cycle) AS cycle_ext,
    (SELECT list(inv ORDER BY pos) FROM gen_cycle) AS cycle_inv,
    (SELECT map(list(kind), list(rows)) FROM (
        SELECT kind, list({'status': status, 'has_txn': has_txn, 'idem': idem}) AS rows
        FROM gen_channel_t GROUP BY kind)) AS channel_map,
    (SELECT map(list(kind), list(rows)) FROM (
        SELECT kind, list({'leg': leg, 'direction': direction, 'acct': acct, 'status': status,
            'amt': amt, 'dt_ms': dt_ms, 'req': req, 'rev_leg': rev_leg} ORDER BY leg) AS rows
        FROM gen_ledger_t GROUP BY kind)) AS ledger_map,
    (SELECT map(list(kind), list(rows)) FROM (
        SELECT kind, list({'g': g, 'status': status, 'amt': amt, 'dt_ms': dt_ms} ORDER BY g) AS rows
        FROM gen_gateway_t GROUP BY kind)) AS gateway_map,
    (SELECT map(list(kind), list(rows)) FROM (
        SELECT kind, list({'n': n, 'status': status, 'amt': amt, 'cond': cond, 'dt_ms': dt_ms}
            ORDER BY n) AS rows
        FROM gen_invoice_t GROUP BY kind)) AS invoice_map,
    (SELECT map(list(kind), list(rows)) FROM (
        SELECT kind, list({'n': n, 'type': type, 'subtype': subtype, 'amt': amt, 'comp': comp}
            ORDER BY n) AS rows
        FROM gen_truth_t GROUP BY kind)) AS truth_map;
