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
from recon.model import DetectionParams
from recon.sql import load_sql, quote_ident, run_statements

STAGES = (
    "key_time",  # the macro that writes a row's instant into a finding key
    "debits",  # _fb_reversed, _fb_booked
    "duplicates",  # _fb_dup, _fb_double
    "transfers",  # _fb_request_txn, _fb_txn (via per-source facts), evaluated_txn_refs, _fb_found
    "duplicate_findings",
    "half_completed",
    "amounts",
    "invoices",
    "findings",  # _fb_detail, _fb_complete, findings
    "healing",  # narrows evaluated_txn_refs to what the run can vouch for; unchecked_types
)
# the stage that raises the findings of one type, skipped when that type's checks are not run
TYPE_STAGES = {"INVOICE": "invoices"}

SCRATCH_PREFIX = "_fb_"


def find_breaks(con: duckdb.DuckDBPyConnection, params: DetectionParams) -> None:
    """Create `findings` and `evaluated_txn_refs` from `ledger`, `channel`, `gateway`, `invoices`.

    Transfers still in flight at the cutoff get no finding and are not evaluated, so the store
    neither opens nor heals anything about them; nor does it heal a transfer that lost a row
    to quarantine, anything at all over damage that names no transfer, or a finding of a type
    in `params.skipped_types` (table `unchecked_types`).
    """
    bound = detection_bindings(params)
    try:
        skipped = {TYPE_STAGES[t] for t in params.skipped_types}
        for stage in STAGES:
            if stage not in skipped:
                run_statements(con, load_sql("recon.findings", stage), bound)
    finally:
        drop_scratch_tables(con)
    fit_money(con)


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
