"""The regulator's report's figures, read from the store (docs/incident.md).

Everything the report shows is in this one JSON-able mapping: it is what a version keeps, what
the next version is compared with, and what the tests hold against the store. Money is kept
as exact decimal text, times as ISO 8601 in the configured zone.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from recon.errors import ConfigError
from recon.sql import load_sql, run_statements


def report_figures(
    con: duckdb.DuckDBPyConnection,
    incident_id: str,
    *,
    as_of: datetime,
    timezone: str,
    declared: dict[str, str] | None,
    customer_types: Path | None = None,
) -> dict[str, Any]:
    """The figures of one incident as the store (attached as `recon_store`) has them at
    `as_of`; `declared` is the analyst's outage window ({start, end} ISO), if known."""
    zone = ZoneInfo(timezone)
    con.register("_rr_customer_types", _customer_types(customer_types))
    try:
        run_statements(
            con, load_sql("recon.incident", "regulator_cases"), {"incident_id": incident_id}
        )
        at = {"as_of": as_of}
        observed = _rows(con, "regulator_window")
        figures = {
            "incident_id": incident_id,
            "window": {
                "declared": declared,
                "observed": _observed(observed, zone),
            },
            "totals": _rows(con, "regulator_totals"),
            "scope": _rows(con, "regulator_scope"),
            "held": [_held(r) for r in _rows(con, "regulator_held", at)],
            "progress": _rows(con, "regulator_progress", {**at, "timezone": timezone}),
            "compensation": _rows(con, "regulator_compensation"),
            "open_risks": _rows(con, "regulator_risks"),
        }
    finally:
        con.execute("DROP TABLE IF EXISTS _rr_cases")
        con.execute("DROP TABLE IF EXISTS _rr_transfers")
        con.unregister("_rr_customer_types")
    return _plain(figures, zone)


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    result = con.execute(load_sql("recon.incident", name), params or {})
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _observed(rows: list[dict[str, Any]], zone: ZoneInfo) -> dict[str, Any]:
    firsts = [r["first_at"] for r in rows if r["first_at"] is not None]
    lasts = [r["last_at"] for r in rows if r["last_at"] is not None]
    return {
        "first": min(firsts) if firsts else None,
        "last": max(lasts) if lasts else None,
        "by_channel": rows,
    }


def _held(row: dict[str, Any]) -> dict[str, Any]:
    """Minutes as hours with one decimal, exact (never a float)."""
    transfers = row.pop("transfers")
    longest, total = row.pop("longest_minutes"), row.pop("total_minutes")
    tenth = Decimal("0.1")
    return {
        **row,
        "transfers": transfers,
        "longest_hours": (Decimal(longest) / 60).quantize(tenth, ROUND_HALF_UP),
        "average_hours": (Decimal(total) / 60 / transfers).quantize(tenth, ROUND_HALF_UP),
    }


def _plain(value: Any, zone: ZoneInfo) -> Any:
    """JSON-able: decimals and dates as text, times in the report's zone."""
    if isinstance(value, dict):
        return {k: _plain(v, zone) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, zone) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _customer_types(path: Path | None) -> pa.Table:
    """The bank's customer types (CSV: customer_id, customer_type), or none."""
    ids: list[str] = []
    types: list[str] = []
    if path is not None:
        try:
            with Path(path).open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames or not {"customer_id", "customer_type"} <= set(
                    reader.fieldnames
                ):
                    raise ConfigError(
                        f"--customer-types {path}: a CSV file with customer_id and customer_type"
                    )
                for row in reader:
                    ids.append((row["customer_id"] or "").strip())
                    types.append((row["customer_type"] or "").strip() or "not given")
        except FileNotFoundError:
            raise ConfigError(f"--customer-types {path}: no such file") from None
        except UnicodeDecodeError:
            raise ConfigError(f"--customer-types {path}: not UTF-8 text") from None
    return pa.table(
        {"customer_id": pa.array(ids, pa.string()), "customer_type": pa.array(types, pa.string())}
    )
