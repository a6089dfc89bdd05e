"""Hand-made working tables for store tests: `findings`, `evaluated_txn_refs`, sources."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb

from recon.model import RunInfo

try:
    from .backends import read_store
except ImportError:  # imported by writer.py, a script beside this file
    from backends import read_store  # type: ignore[no-redef]

T0 = datetime(2024, 3, 16, 1, 0, tzinfo=UTC)


@dataclass(frozen=True)
class F:
    """One finding row; `exception_id` defaults to a readable id made from the txn_ref."""

    txn_ref: str
    amount: str = "100.00"
    type: str = "HALF_COMPLETED"
    subtype: str = "DEBIT_WITHOUT_CREDIT"
    evidence: str = ""
    compensation: str = "0.01"
    customer_id: str | None = "C1"
    exception_id: str | None = None

    @property
    def id(self) -> str:
        return self.exception_id or f"EX-{self.subtype[:4]}-{self.txn_ref}"

    def with_amount(self, amount: str) -> F:
        return replace(self, amount=amount)


FINDINGS_DDL = """
CREATE OR REPLACE TABLE findings (
    exception_id VARCHAR, finding_key VARCHAR, type VARCHAR, subtype VARCHAR, txn_ref VARCHAR,
    related_txn_ref VARCHAR, customer_id VARCHAR, account_id VARCHAR, amount DECIMAL(18,2),
    currency VARCHAR, evidence VARCHAR, proposed_action VARCHAR, compensation DECIMAL(18,2),
    event_at TIMESTAMPTZ, channel VARCHAR)
"""


def load_findings(
    con: duckdb.DuckDBPyConnection, findings: list[F], evaluated: list[str] | None = None
) -> None:
    """Replace `findings` and `evaluated_txn_refs` (default: the findings' own txn_refs)."""
    con.execute(FINDINGS_DDL)
    for f in findings:
        con.execute(
            "INSERT INTO findings VALUES ($1,$2,$3,$4,$5,NULL,$6,'A1',$7,'CNY',$8,'INVESTIGATE',"
            "$9,$10,'APP')",
            [
                f.id,
                f"{f.type}|{f.subtype}|{f.txn_ref}",
                f.type,
                f.subtype,
                f.txn_ref,
                f.customer_id,
                Decimal(f.amount),
                f.evidence,
                Decimal(f.compensation),
                T0 - timedelta(hours=12),
            ],
        )
    refs = evaluated if evaluated is not None else [f.txn_ref for f in findings]
    con.execute("CREATE OR REPLACE TABLE evaluated_txn_refs (txn_ref VARCHAR)")
    if refs:
        con.executemany("INSERT INTO evaluated_txn_refs VALUES ($1)", [[r] for r in refs])


def run_info(n: int, incident_id: str | None = None) -> RunInfo:
    """The n-th run, an hour after the previous one."""
    started = T0 + timedelta(hours=n)
    return RunInfo(
        run_id=f"run-{n}",
        started_at=started,
        cutoff=T0,
        data_dir="data",
        incident_id=incident_id,
    )


def at(n: int) -> datetime:
    """When run n records (a minute after it started)."""
    return run_info(n).started_at + timedelta(minutes=1)


def table_rows(store_path, table: str, order_by: str = "ALL") -> list[tuple]:
    """Every row of one store table, in a stable order (read-only, closed at once)."""
    with read_store(store_path) as con:
        return con.execute(f"SELECT * FROM {table} ORDER BY {order_by}").fetchall()


def store_state(store_path) -> dict[str, list[tuple]]:
    """All store tables, to compare a store before and after something."""
    with read_store(store_path) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        ]
        return {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in sorted(names)}


def exceptions_by_id(store_path) -> dict[str, dict]:
    """The store's exceptions table as {exception_id: row as dict}."""
    with read_store(store_path) as con:
        cur = con.execute("SELECT * FROM exceptions")
        names = [d[0] for d in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}
