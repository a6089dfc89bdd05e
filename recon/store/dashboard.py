"""Read-only figures for the web app's dashboard (docs/web.md, "Dashboard").

One read of the store per call, aged as of `as_of` like the queue (`aged.sql`), each figure
a small SQL file beside this module. Money stays per currency and exact: amounts in
different currencies are never added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from recon.config import SlaPolicy
from recon.sql import load_sql
from recon.store.aging import age_exceptions
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.reading import readable_store

# the timeline's bucket: the smallest of these that keeps it under MAX_BUCKETS bars
BUCKET_MINUTES = (1, 5, 15, 60, 180, 360, 1440, 10080)
MAX_BUCKETS = 96


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the dashboard, as rows of plain dicts (Decimal money, aware times)."""

    as_of: datetime
    open_by: dict[str, list[dict[str, Any]]]  # "type" | "channel" | "age" -> rows
    held: dict[str | None, Any]  # currency -> open money, each transfer once (the report's)
    sla: list[dict[str, Any]]  # per severity
    timeline: list[dict[str, Any]]  # bucket_start, findings, still_open
    bucket_minutes: int
    incidents: list[dict[str, Any]]  # incident_id, first_at, last_at, findings
    throughput: list[dict[str, Any]]  # per actor


def dashboard(
    store_path: str | Path,
    *,
    sla: SlaPolicy | None = None,
    as_of: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Dashboard:
    """The dashboard's figures for the store at `store_path` as of `as_of` (default now)."""
    as_of = as_of or datetime.now(UTC)
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        age_exceptions(con, as_of, sla or SlaPolicy())
        open_rows = _rows(con, "dashboard_open")
        open_by: dict[str, list[dict[str, Any]]] = {"type": [], "channel": [], "age": []}
        for row in open_rows:
            dimension = row.pop("dimension")
            if dimension == "age":  # "3 1 to 3 days": the leading digit only sorts
                row["bucket"] = row["bucket"].split(" ", 1)[1]
            open_by[dimension].append(row)
        span = _rows(con, "dashboard_span")[0]
        minutes = bucket_minutes(span["first_at"], span["last_at"])
        return Dashboard(
            as_of=as_of,
            open_by=open_by,
            held={r["currency"]: r["held"] for r in _rows(con, "dashboard_held")},
            sla=_rows(con, "dashboard_sla"),
            timeline=_rows(con, "dashboard_timeline", {"bucket_minutes": minutes}),
            bucket_minutes=minutes,
            incidents=_rows(con, "dashboard_incidents"),
            throughput=_rows(con, "dashboard_throughput", {"as_of": as_of}),
        )


def bucket_minutes(first: datetime | None, last: datetime | None) -> int:
    """The timeline's bucket size: the smallest in BUCKET_MINUTES giving <= MAX_BUCKETS bars."""
    if first is None or last is None:
        return BUCKET_MINUTES[2]
    span = last - first
    for minutes in BUCKET_MINUTES:
        if span / timedelta(minutes=minutes) < MAX_BUCKETS:
            return minutes
    return BUCKET_MINUTES[-1]


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(load_sql("recon.store", name), params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
