"""Hand-made `exceptions` (the store's open exceptions) and source tables for remedies tests."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import duckdb

EXCEPTIONS_DDL = """
CREATE OR REPLACE TABLE exceptions (
    exception_id VARCHAR, type VARCHAR, subtype VARCHAR, txn_ref VARCHAR,
    related_txn_ref VARCHAR, customer_id VARCHAR, account_id VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, detected_at TIMESTAMPTZ, evidence VARCHAR, proposed_action VARCHAR,
    compensation DECIMAL(18,2), status VARCHAR, first_seen_run VARCHAR, last_seen_run VARCHAR)
"""

# the subtype each proposed action belongs to (CONTRACT.md section 4)
SUBTYPE = {
    "REVERSE_DEBIT": ("HALF_COMPLETED", "BOOKED_GATEWAY_FAILED"),
    "REVIEW_REFUND": ("DUPLICATE_DEBIT", "SUSPECTED_RETRY"),
    "RECALL_PAYMENT": ("DUPLICATE_DEBIT", "GATEWAY_DOUBLE_CHARGE"),
    "POST_CREDIT_OR_REVERSE": ("HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT"),
    "POST_ENTRIES": ("HALF_COMPLETED", "CHANNEL_SUCCESS_NOT_BOOKED"),
    "INVESTIGATE": ("HALF_COMPLETED", "STUCK_PENDING"),
    "NOTIFY_CUSTOMER": ("HALF_COMPLETED", "CHANNEL_FAILED_BUT_BOOKED"),
    "ISSUE_INVOICE": ("INVOICE", "MISSING"),
    "REISSUE_INVOICE": ("INVOICE", "AMOUNT_MISMATCH"),
    "VOID_INVOICE": ("INVOICE", "DUPLICATE"),
}


def open_exceptions(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Replace `exceptions` with `rows`: each needs exception_id and proposed_action."""
    con.execute(EXCEPTIONS_DDL)
    for r in rows:
        kind, subtype = SUBTYPE[r["proposed_action"]]
        con.execute(
            "INSERT INTO exceptions VALUES ($id, $type, $subtype, $txn, NULL, $customer,"
            " $account, $amount, $currency, TIMESTAMPTZ '2024-03-16 00:05:00+00', '', $action,"
            " $compensation, 'OPEN', 'run-1', 'run-1')",
            {
                "id": r["exception_id"],
                "type": r.get("type", kind),
                "subtype": r.get("subtype", subtype),
                "txn": r.get("txn_ref", "T1"),
                "customer": r.get("customer_id", "C1"),
                "account": r.get("account_id", "A1"),
                "amount": Decimal(r.get("amount", "100.00")),
                "currency": r.get("currency", "CNY"),
                "action": r["proposed_action"],
                "compensation": Decimal(r.get("compensation", "0.00")),
            },
        )


def source_tables(
    con: duckdb.DuckDBPyConnection,
    credit_legs: Sequence[tuple[str, str, str]] = (),
    payees: Sequence[tuple[str, str]] = (),
) -> None:
    """`ledger` credit legs (txn_ref, account_id, status) and `channel` payees (txn_ref, payee)."""
    con.execute(
        "CREATE TABLE ledger (entry_id VARCHAR, txn_ref VARCHAR, account_id VARCHAR,"
        " direction VARCHAR, amount DECIMAL(18,2), currency VARCHAR, status VARCHAR,"
        " posted_at TIMESTAMPTZ, request_id VARCHAR, reversal_of VARCHAR)"
    )
    con.execute(
        "CREATE TABLE channel (request_id VARCHAR, credit_account VARCHAR, txn_ref VARCHAR,"
        " requested_at TIMESTAMPTZ)"
    )
    for n, (txn, account, status) in enumerate(credit_legs):
        con.execute(
            "INSERT INTO ledger VALUES ($e, $t, $a, 'C', 100, 'CNY', $s,"
            " TIMESTAMPTZ '2024-03-15 10:00:00+00', NULL, NULL)",
            {"e": f"E{n}", "t": txn, "a": account, "s": status},
        )
    for n, (txn, payee) in enumerate(payees):
        con.execute(
            "INSERT INTO channel VALUES ($r, $p, $t, TIMESTAMPTZ '2024-03-15 10:00:00+00')",
            {"r": f"R{n}", "p": payee, "t": txn},
        )


def legs(con: duckdb.DuckDBPyConnection, exception_id: str) -> list[tuple[str, str, Decimal]]:
    """(direction, account_id, amount) of an exception's corrections, debit first."""
    return con.execute(
        "SELECT direction, account_id, amount FROM corrections WHERE exception_id = $id"
        " ORDER BY correction_id",
        {"id": exception_id},
    ).fetchall()
