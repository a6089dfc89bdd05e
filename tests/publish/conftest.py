"""Fixtures for the publish tests: a tiny reconciled run in hand-made working tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pytest

from recon.model import StoreOutcome

from .tables import create_empty_tables, exception_row, finding_row, insert


@pytest.fixture
def tiny(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Three open exceptions, their findings, one correction pair, two customers owed."""
    create_empty_tables(con)
    insert(
        con,
        "exceptions",
        [
            exception_row(
                "EX-B",
                "HALF_COMPLETED",
                "DEBIT_WITHOUT_CREDIT",
                "T2",
                "1234.50",
                customer_id="C2",
                compensation="0.17",
                action="POST_CREDIT_OR_REVERSE",
            ),
            exception_row(
                "EX-A",
                "DUPLICATE_DEBIT",
                "SAME_REQUEST",
                "T1",
                "0.10",
                compensation="0.01",
                action="REVERSE_DEBIT",
            ),
            exception_row("EX-C", "INVOICE", "MISSING", "T3", "99.99", action="ISSUE_INVOICE"),
        ],
    )
    at = datetime(2024, 3, 15, 11, 22, tzinfo=UTC)
    insert(
        con,
        "findings",
        [
            finding_row("EX-A", "DUPLICATE_DEBIT", "SAME_REQUEST", "T1", "0.10", at),
            finding_row(
                "EX-B", "HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "T2", "1234.50", at, "WEB"
            ),
            finding_row("EX-C", "INVOICE", "MISSING", "T3", "99.99", at, None),
        ],
    )
    insert(
        con,
        "corrections",
        [
            ("CR-2", "EX-A", "T1", "AC1", "C", Decimal("0.10"), "CNY", "reverse duplicate debit"),
            (
                "CR-1",
                "EX-A",
                "T1",
                "SUSPENSE",
                "D",
                Decimal("0.10"),
                "CNY",
                "reverse duplicate debit",
            ),
        ],
    )
    insert(
        con,
        "compensation",
        [
            ("C2", "CNY", Decimal("0.17"), "EX-B"),
            ("C1", "CNY", Decimal("0.01"), "EX-A"),
        ],
    )
    insert(
        con,
        "quarantine",
        [
            ("ledger", "ledger.csv", 7, "amount", "1,2x", "unparseable amount"),
        ],
    )
    return con


@pytest.fixture
def store_outcome() -> StoreOutcome:
    return StoreOutcome(
        run_id="run-20240316T000500Z-abc123",
        new=("EX-B", "EX-A"),
        reopened=("EX-C",),
        healed=("EX-OLD",),
        open_total=3,
    )
