"""The tabular outputs: exceptions (CSV + Parquet), corrections, compensation, quarantine.

DuckDB writes every file with COPY, so money stays exact decimal and millions of rows never
pass through Python. A table that does not exist gives a header-only CSV: downstream tools
and analysts can always open the file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import duckdb

from recon.catalog import table_columns
from recon.publish.cases import create_cases_view, install_macros
from recon.publish.columns import (
    COMPENSATION_COLUMNS,
    CORRECTION_COLUMNS,
    QUARANTINE_COLUMNS,
)
from recon.sql import load_sql


def write_exceptions(out_dir: Path, con: duckdb.DuckDBPyConnection) -> dict[str, Path]:
    """exceptions.csv and exceptions.parquet from table `exceptions`."""
    create_cases_view(con)
    paths = {
        "exceptions.csv": out_dir / "exceptions.csv",
        "exceptions.parquet": out_dir / "exceptions.parquet",
    }
    con.execute(load_sql("recon.publish", "exceptions_csv"), {"path": str(paths["exceptions.csv"])})
    con.execute(
        load_sql("recon.publish", "exceptions_parquet"),
        {"path": str(paths["exceptions.parquet"])},
    )
    return paths


def write_corrections(out_dir: Path, con: duckdb.DuckDBPyConnection) -> Path:
    return _table_csv(out_dir, con, "corrections", CORRECTION_COLUMNS)


def write_compensation(out_dir: Path, con: duckdb.DuckDBPyConnection) -> Path:
    ids_type = table_columns(con, "compensation").get("exception_ids", "VARCHAR")
    ids = (
        "array_to_string(exception_ids, ';')"
        if ids_type.endswith("[]")
        else "CAST(exception_ids AS VARCHAR)"
    )
    sql = load_sql("recon.publish", "compensation_csv").format(exception_ids=ids)
    return _copy_or_header(
        con, "compensation", COMPENSATION_COLUMNS, out_dir / "compensation.csv", sql
    )


def write_quarantine(out_dir: Path, con: duckdb.DuckDBPyConnection) -> Path:
    return _table_csv(out_dir, con, "quarantine", QUARANTINE_COLUMNS)


def write_exports(out_dir: Path, con: duckdb.DuckDBPyConnection) -> dict[str, Path]:
    """Every tabular output of a reconciled run, by file name."""
    paths = write_exceptions(out_dir, con)
    paths["corrections.csv"] = write_corrections(out_dir, con)
    paths["compensation.csv"] = write_compensation(out_dir, con)
    paths["quarantine.csv"] = write_quarantine(out_dir, con)
    return paths


def _table_csv(
    out_dir: Path, con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]
) -> Path:
    """`<table>.csv` written by `<table>_csv.sql`."""
    sql = load_sql("recon.publish", f"{table}_csv")
    return _copy_or_header(con, table, columns, out_dir / f"{table}.csv", sql)


def _copy_or_header(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], path: Path, sql: str
) -> Path:
    if table_columns(con, table):
        install_macros(con)
        con.execute(sql, {"path": str(path)})
    else:
        write_header_only(path, columns)
    return path


def write_header_only(path: Path, columns: Sequence[str]) -> None:
    """A CSV with just its header: the file exists and says what it would hold."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(columns)
