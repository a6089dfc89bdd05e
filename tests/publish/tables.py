"""Builders of hand-made working tables (docs/architecture.md) and run records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from recon.model import InputFile, RunInfo, RunSummary, SourceCounts, StoreOutcome

EXCEPTIONS_DDL = """
CREATE TABLE exceptions (
    exception_id VARCHAR, type VARCHAR, subtype VARCHAR, txn_ref VARCHAR,
    related_txn_ref VARCHAR, customer_id VARCHAR, account_id VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, detected_at TIMESTAMPTZ, evidence VARCHAR, proposed_action VARCHAR,
    compensation DECIMAL(18,2), status VARCHAR, first_seen_run VARCHAR, last_seen_run VARCHAR
)"""
FINDINGS_DDL = """
CREATE TABLE findings (
    exception_id VARCHAR, finding_key VARCHAR, type VARCHAR, subtype VARCHAR, txn_ref VARCHAR,
    related_txn_ref VARCHAR, customer_id VARCHAR, account_id VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, evidence VARCHAR, proposed_action VARCHAR, compensation DECIMAL(18,2),
    event_at TIMESTAMPTZ, channel VARCHAR
)"""
CORRECTIONS_DDL = """
CREATE TABLE corrections (
    correction_id VARCHAR, exception_id VARCHAR, txn_ref VARCHAR, account_id VARCHAR,
    direction VARCHAR, amount DECIMAL(18,2), currency VARCHAR, narrative VARCHAR
)"""
COMPENSATION_DDL = """
CREATE TABLE compensation (
    customer_id VARCHAR, currency VARCHAR, compensation DECIMAL(18,2), exception_ids VARCHAR
)"""
QUARANTINE_DDL = """
CREATE TABLE quarantine (
    source VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR
)"""
CHANNEL_DDL = """
CREATE TABLE channel (
    request_id VARCHAR, idempotency_key VARCHAR, channel VARCHAR, customer_id VARCHAR,
    debit_account VARCHAR, credit_account VARCHAR, amount DECIMAL(18,2), currency VARCHAR,
    requested_at TIMESTAMPTZ, status VARCHAR, error_code VARCHAR, txn_ref VARCHAR,
    _file VARCHAR, _line BIGINT
)"""

DETECTED = datetime(2024, 3, 16, 0, 5, tzinfo=UTC)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Sequence[Any]]) -> None:
    rows = list(rows)
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def exception_row(
    exception_id: str,
    type_: str,
    subtype: str,
    txn_ref: str,
    amount: str,
    *,
    customer_id: str = "C1",
    compensation: str = "0.00",
    action: str = "INVESTIGATE",
) -> tuple[Any, ...]:
    """One row of table `exceptions` in contract column order."""
    return (
        exception_id,
        type_,
        subtype,
        txn_ref,
        None,
        customer_id,
        "AC1",
        Decimal(amount),
        "CNY",
        DETECTED,
        f"ledger:E-{txn_ref}",
        action,
        Decimal(compensation),
        "OPEN",
        "run-1",
        "run-1",
    )


def finding_row(
    exception_id: str,
    type_: str,
    subtype: str,
    txn_ref: str,
    amount: str,
    event_at: datetime,
    channel: str | None = "APP",
) -> tuple[Any, ...]:
    return (
        exception_id,
        f"{type_}|{subtype}|{txn_ref}",
        type_,
        subtype,
        txn_ref,
        None,
        "C1",
        "AC1",
        Decimal(amount),
        "CNY",
        f"ledger:E-{txn_ref}",
        "INVESTIGATE",
        Decimal("0.00"),
        event_at,
        channel,
    )


def create_empty_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in (
        EXCEPTIONS_DDL,
        FINDINGS_DDL,
        CORRECTIONS_DDL,
        COMPENSATION_DDL,
        QUARANTINE_DDL,
        CHANNEL_DDL,
    ):
        con.execute(ddl)


def run_summary(
    *,
    outcome: StoreOutcome | None = None,
    error: str | None = None,
    timezone: str = "UTC",
    counts: dict[str, SourceCounts] | None = None,
) -> RunSummary:
    """A fixed run record: same input, same summary.json."""
    run = RunInfo(
        run_id="run-20240316T000500Z-abc123",
        started_at=datetime(2024, 3, 16, 0, 5, tzinfo=UTC),
        cutoff=datetime(2024, 3, 16, 0, 0, tzinfo=UTC),
        data_dir="data",
        params={
            "timezone": timezone,
            "grace_minutes": 30,
            "annual_rate": Decimal("0.05"),
            "clearing_accounts": ("CLR-1",),
        },
        files=(
            InputFile(
                source="ledger",
                path="data/ledger.csv",
                format="csv",
                sha256="ab" * 32,
                rows=11,
                amount_sum=Decimal("1334.59"),
            ),
        ),
        counts=counts
        if counts is not None
        else {
            "ledger": SourceCounts(read=11, valid=9, quarantined=1, exact_duplicates=1),
            "channel": SourceCounts(read=3, valid=3),
        },
    )
    return RunSummary(
        run=run,
        finished_at=datetime(2024, 3, 16, 0, 5, 30, tzinfo=UTC),
        outcome=outcome,
        timings={"ingest": 1.25, "findings": 0.5},
        error=error,
    )
