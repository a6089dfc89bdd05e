"""What the working database holds: which tables exist and with which columns.

Steps run after stages written by others, in tests with only some tables, and after a
failed run, so they ask rather than assume.
"""

from __future__ import annotations

import duckdb

from recon.sql import load_sql


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> DuckDB type of `table` (a table or view), empty when it does not exist."""
    rows = con.execute(load_sql("recon", "table_columns"), {"table": table}).fetchall()
    return {name: data_type for name, data_type in rows}


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(table_columns(con, table))


def table_names(con: duckdb.DuckDBPyConnection, prefix: str = "") -> list[str]:
    """The tables of the current schema whose name starts with `prefix`."""
    rows = con.execute(load_sql("recon", "table_names"), {"prefix": prefix}).fetchall()
    return [name for (name,) in rows]
