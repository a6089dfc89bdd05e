"""Find the contract's breaks (CONTRACT.md section 4) in the working tables, all in DuckDB.

The SQL files run in order; each stage leaves `_fb_*` scratch tables for the next, and the
last one builds `findings`. Duplicates come first because a duplicate debit is left out of
every half-completed check. Values reach the SQL only as bound parameters.
"""

from __future__ import annotations

from datetime import UTC
from fractions import Fraction

import duckdb

from recon.catalog import table_names
from recon.errors import AmountOverflowError
from recon.findings.buckets import BucketPlan, partitioned
from recon.findings.stages import AFTER, BEFORE, PER_TRANSFER, TYPE_STAGES
from recon.model import DetectionParams
from recon.sql import load_sql, quote_ident, run_statements

SCRATCH_PREFIX = "_fb_"


def find_breaks(
    con: duckdb.DuckDBPyConnection,
    params: DetectionParams,
    *,
    plan: BucketPlan | None = None,
) -> None:
    """Create `findings` and `evaluated_txn_refs` from `ledger`, `channel`, `gateway`, `invoices`.

    Transfers still in flight at the cutoff get no finding and are not evaluated, so the store
    neither opens nor heals anything about them; nor does it heal a transfer that lost a row
    to quarantine, anything at all over damage that names no transfer, or a finding of a type
    in `params.skipped_types` (table `unchecked_types`).

    With a `plan` of more than one bucket, or any plan with a cluster (`plan.executor`), the
    per-transfer stages run bucket by bucket; otherwise over the whole day at once.
    """
    bound = detection_bindings(params)
    skipped = tuple(TYPE_STAGES[t] for t in params.skipped_types)
    try:
        _run_stages(con, BEFORE, bound, skipped)
        if plan is None or (plan.buckets <= 1 and plan.executor is None):
            _run_stages(con, PER_TRANSFER, bound, skipped)
            _run_stages(con, AFTER, bound, skipped)
        else:
            with partitioned(con, bound, skipped, plan):
                _run_stages(con, AFTER, bound, skipped)
    finally:
        drop_scratch_tables(con)
    fit_money(con)


def _run_stages(
    con: duckdb.DuckDBPyConnection,
    stages: tuple[str, ...],
    bound: dict[str, object],
    skipped: tuple[str, ...],
) -> None:
    for stage in stages:
        if stage not in skipped:
            run_statements(con, load_sql("recon.findings", stage), bound)


def fit_money(con: duckdb.DuckDBPyConnection) -> None:
    """Narrow the findings' money to DECIMAL(18,2), the store's type, or raise
    AmountOverflowError naming the first transfer whose amount or compensation does not fit
    (sums and differences of valid amounts can). Computed wide, never overflowing on the way."""
    oversized = con.execute(
        load_sql("recon.findings", "oversized_money"), {"limit": AmountOverflowError.LIMIT}
    ).fetchall()  # fetched whole: a half-read result would block the connection
    if oversized:
        txn_ref, finding, what, value = oversized[0]
        raise AmountOverflowError(f"txn_ref {txn_ref}", f"{finding} {what}", value)
    run_statements(con, load_sql("recon.findings", "narrow_money"))


def drop_scratch_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every `_fb_*` table, also after a failed stage, so none outlives the call."""
    for name in table_names(con, SCRATCH_PREFIX):
        con.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")


def detection_bindings(params: DetectionParams) -> dict[str, object]:
    """The SQL parameters of `params`; the annual rate as an exact integer fraction.

    A cutoff without a time zone is taken as UTC, the working database's session zone.

    DuckDB divides decimals in floating point, so the interest is computed in whole cents
    from integers: amount_cents * rate_num * days / (rate_den * day_basis), rounded half up.
    """
    cutoff = params.cutoff
    if cutoff.tzinfo is None:
        cutoff = cutoff.replace(tzinfo=UTC)
    rate = Fraction(params.policy.annual_rate)
    return {
        "cutoff": cutoff,
        "grace_minutes": params.grace_minutes,
        "pending_sla_minutes": params.pending_sla_minutes,
        "duplicate_window_minutes": params.duplicate_window_minutes,
        "clearing_accounts": list(params.clearing_accounts),
        "rate_num": rate.numerator,
        "rate_den": rate.denominator,
        "day_basis": params.policy.day_basis,
        "min_days": params.policy.min_days,
        "refund_gateway_fee": params.policy.refund_gateway_fee,
        "skipped_types": list(params.skipped_types),
    }
