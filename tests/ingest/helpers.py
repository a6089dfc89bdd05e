"""Small hand-made extracts for the ingest tests: one ledger row is one line of text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from recon.config import config_from_mapping
from recon.ingest import load_extracts
from recon.model import IngestResult

LEDGER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of"
)
CHANNEL = (
    "request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
    "currency,requested_at,status,error_code,txn_ref"
)
GATEWAY = "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required"
INVOICES = "invoice_id,txn_ref,amount,status,issued_at"


def ledger_row(
    entry_id: str = "E1",
    *,
    txn_ref: str = "T1",
    account_id: str = "A1",
    direction: str = "D",
    amount: str = "10.00",
    currency: str = "CNY",
    status: str = "POSTED",
    posted_at: str = "2024-03-15T10:00:00Z",
    request_id: str = "R1",
    reversal_of: str = "",
) -> str:
    fields = [entry_id, txn_ref, account_id, direction, amount, currency, status, posted_at,
              request_id, reversal_of]  # fmt: skip
    return ",".join(_quoted(f) for f in fields)


def _quoted(field: str) -> str:
    return f'"{field}"' if "," in field else field


def write_lines(
    path: Path, header: str | None, rows: Iterable[str], encoding: str = "utf-8"
) -> Path:
    lines = ([header] if header is not None else []) + list(rows)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def extracts(
    data_dir: Path,
    *,
    ledger: Iterable[str] | None = None,
    channel: Iterable[str] = (),
    gateway: Iterable[str] = (),
) -> Path:
    """A data folder with ledger.csv (when given) and header-only channel and gateway files."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if ledger is not None:
        write_lines(data_dir / "ledger.csv", LEDGER, ledger)
    write_lines(data_dir / "channel.csv", CHANNEL, channel)
    write_lines(data_dir / "gateway.csv", GATEWAY, gateway)
    return data_dir


def load(
    con: duckdb.DuckDBPyConnection, data_dir: Path, settings: Mapping[str, Any] | None = None
) -> IngestResult:
    """load_extracts with a config built from `settings` (max_bad_ratio 1 unless given)."""
    config = config_from_mapping({"max_bad_ratio": "1", **(settings or {})})
    return load_extracts(con, data_dir, config)


def quarantine(con: duckdb.DuckDBPyConnection, source: str = "ledger") -> list[tuple]:
    """(file name, line, column, value, reason) of one source's quarantined rows, by line."""
    rows = con.sql(
        'SELECT file, line, "column", value, reason FROM quarantine WHERE source = $s'
        " ORDER BY file, line",
        params={"s": source},
    ).fetchall()
    return [(Path(f).name, line, col, value, reason) for f, line, col, value, reason in rows]


def column(con: duckdb.DuckDBPyConnection, source: str, name: str) -> list[Any]:
    """One column of a working table in file order."""
    return [
        r[0] for r in con.sql(f'SELECT "{name}" FROM {source} ORDER BY _file, _line').fetchall()
    ]
