"""What the working database holds: which tables exist and with which columns."""

from __future__ import annotations

import duckdb

from recon.sql import load_sql


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> DuckDB type of `table` (a table or view), empty when it does not exist.

    Publish runs after stages written by others and also after a failed run, so it asks
    rather than assumes.
    """
    rows = con.execute(load_sql("recon.publish", "table_columns"), {"table": table}).fetchall()
    return {name: data_type for name, data_type in rows}


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(table_columns(con, table))
