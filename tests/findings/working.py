"""Hand-made working tables for findings tests, typed as docs/architecture.md lists them.

Times are "HH:MM" or "HH:MM:SS" on 2024-03-15 UTC; the cutoff is midnight after it, so a
record at 23:30 or later is within the default 30-minute grace (in flight).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from recon.findings import find_breaks
from recon.model import DetectionParams

CUTOFF = datetime(2024, 3, 16, tzinfo=UTC)
CLEARING = "CLR-1"
PARAMS = DetectionParams(cutoff=CUTOFF, clearing_accounts=(CLEARING,))

DDL = """
CREATE TABLE ledger (entry_id VARCHAR, txn_ref VARCHAR, account_id VARCHAR, direction VARCHAR,
    amount DECIMAL(18,2), currency VARCHAR, status VARCHAR, posted_at TIMESTAMPTZ,
    request_id VARCHAR, reversal_of VARCHAR, _file VARCHAR, _line BIGINT);
CREATE TABLE channel (request_id VARCHAR, idempotency_key VARCHAR, channel VARCHAR,
    customer_id VARCHAR, debit_account VARCHAR, credit_account VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, requested_at TIMESTAMPTZ, status VARCHAR, error_code VARCHAR,
    txn_ref VARCHAR, _file VARCHAR, _line BIGINT);
CREATE TABLE gateway (gateway_ref VARCHAR, txn_ref VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, fee DECIMAL(18,2), status VARCHAR, gateway_at TIMESTAMPTZ,
    invoice_required BOOLEAN, _file VARCHAR, _line BIGINT);
CREATE TABLE invoices (invoice_id VARCHAR, txn_ref VARCHAR, amount DECIMAL(18,2),
    status VARCHAR, issued_at TIMESTAMPTZ, _file VARCHAR, _line BIGINT);
"""


def at(hhmm: str, day: int = 15) -> datetime:
    """A time on 2024-03-<day> UTC from "HH:MM" or "HH:MM:SS"."""
    parts = [int(p) for p in hhmm.split(":")] + [0]
    return datetime(2024, 3, day, parts[0], parts[1], parts[2], tzinfo=UTC)


class Extracts:
    """The four working tables of one test, filled one row at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        for statement in DDL.split(";"):
            if statement.strip():
                con.execute(statement)
        self._line = 1

    def _insert(self, table: str, values: list[Any]) -> None:
        self._line += 1
        values = [*values, f"{table}.csv", self._line]
        marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
        self.con.execute(f"INSERT INTO {table} VALUES ({marks})", values)

    def ledger(
        self,
        entry_id: str,
        txn_ref: str,
        account_id: str,
        direction: str,
        amount: str,
        time: str = "10:00",
        *,
        status: str = "POSTED",
        request_id: str | None = None,
        reversal_of: str | None = None,
        currency: str = "CNY",
    ) -> Extracts:
        self._insert(
            "ledger",
            [entry_id, txn_ref, account_id, direction, Decimal(amount), currency, status,
             at(time), request_id, reversal_of],
        )  # fmt: skip
        return self

    def request(
        self,
        request_id: str,
        amount: str,
        time: str = "10:00",
        *,
        status: str = "SUCCESS",
        txn_ref: str | None = None,
        customer_id: str = "C1",
        debit_account: str = "A1",
        credit_account: str | None = "B1",
        idempotency_key: str | None = None,
        channel: str = "APP",
    ) -> Extracts:
        self._insert(
            "channel",
            [request_id, idempotency_key, channel, customer_id, debit_account, credit_account,
             Decimal(amount), "CNY", at(time), status, None, txn_ref],
        )  # fmt: skip
        return self

    def payment(
        self,
        gateway_ref: str,
        txn_ref: str,
        amount: str,
        time: str = "10:00:30",
        *,
        status: str = "SUCCESS",
        fee: str = "0.00",
        invoice_required: bool | None = None,
    ) -> Extracts:
        self._insert(
            "gateway",
            [gateway_ref, txn_ref, Decimal(amount), "CNY", Decimal(fee), status, at(time),
             invoice_required],
        )  # fmt: skip
        return self

    def invoice(
        self, invoice_id: str, txn_ref: str, amount: str, time: str = "10:01", *,
        status: str = "ISSUED",
    ) -> Extracts:  # fmt: skip
        self._insert("invoices", [invoice_id, txn_ref, Decimal(amount), status, at(time)])
        return self

    def transfer(
        self,
        txn_ref: str,
        amount: str,
        time: str = "10:00",
        *,
        debit: str = "A1",
        credit: str = "B1",
        request_id: str | None = None,
        status: str = "SUCCESS",
        customer_id: str = "C1",
        idempotency_key: str | None = None,
    ) -> Extracts:
        """A complete internal transfer: the request and both POSTED legs."""
        request_id = request_id or f"R-{txn_ref}"
        self.request(
            request_id, amount, time, status=status, txn_ref=txn_ref, customer_id=customer_id,
            debit_account=debit, credit_account=credit, idempotency_key=idempotency_key,
        )  # fmt: skip
        self.ledger(f"{txn_ref}-D", txn_ref, debit, "D", amount, time, request_id=request_id)
        self.ledger(f"{txn_ref}-C", txn_ref, credit, "C", amount, time, request_id=request_id)
        return self

    def external(
        self, txn_ref: str, amount: str, time: str = "10:00", *, gateway: str | None = "SUCCESS",
        invoice: bool = True, **kw: Any,
    ) -> Extracts:  # fmt: skip
        """A transfer out through the clearing account, its gateway record and invoice."""
        self.transfer(txn_ref, amount, time, credit=CLEARING, **kw)
        if gateway:
            self.payment(f"G-{txn_ref}", txn_ref, amount, status=gateway)
        if invoice:
            self.invoice(f"I-{txn_ref}", txn_ref, amount)
        return self


def find(con: duckdb.DuckDBPyConnection, **overrides: Any) -> list[dict[str, Any]]:
    """Run find_breaks with the test defaults (and any DetectionParams overrides)."""
    find_breaks(con, replace(PARAMS, **overrides))
    cur = con.execute("SELECT * FROM findings ORDER BY type, subtype, txn_ref, finding_key")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def kinds(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(subtype, txn_ref) of each finding, sorted: what most tests compare."""
    return sorted((r["subtype"], r["txn_ref"]) for r in rows)


def one(rows: list[dict[str, Any]], subtype: str) -> dict[str, Any]:
    matching = [r for r in rows if r["subtype"] == subtype]
    assert len(matching) == 1, f"expected one {subtype}, got {kinds(rows)}"
    return matching[0]
