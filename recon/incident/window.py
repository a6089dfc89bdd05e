"""Narrow one run's findings to an incident window (the incident rerun's extra step)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from recon.errors import ConfigError
from recon.sql import load_sql

# minutes around an incident window that a rerun also covers: breaks show up a little before
# an outage is declared and keep coming in after it is over (one grace period by default)
DEFAULT_MARGIN_MINUTES = 30


def keep_window(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> None:
    """Drop findings whose `event_at` is outside [start, end]; heal only transfers inside it.

    Runs between find_breaks and the store step, on the working tables `findings` and
    `evaluated_txn_refs`, so the store never sees, tags or heals anything outside the window.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ConfigError("the incident window needs time zone aware start and end")
    if end < start:
        raise ConfigError(f"window end {end.isoformat()} is before its start {start.isoformat()}")
    con.execute(load_sql("recon.incident", "window_bounds"), {"start": start, "end": end})
    con.execute(load_sql("recon.incident", "keep_window"))
