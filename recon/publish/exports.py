"""The tabular outputs: exceptions (CSV + Parquet), corrections, compensation, quarantine.

DuckDB writes every file with COPY, so money stays exact decimal and millions of rows never
pass through Python. A table that does not exist gives a header-only CSV: downstream tools
and analysts can always open the file.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from recon.catalog import table_columns
from recon.privacy import ID_COLUMNS
from recon.publish.cases import create_cases_view, install_macros
from recon.publish.columns import (
    COMPENSATION_COLUMNS,
    COMPENSATION_LINE_COLUMNS,
    CORRECTION_COLUMNS,
    QUARANTINE_COLUMNS,
)
from recon.remedies.compensation import explained
from recon.sql import load_sql


def write_exceptions(
    out_dir: Path, con: duckdb.DuckDBPyConnection, *, mask: bool = False
) -> dict[str, Path]:
    """exceptions.csv and exceptions.parquet from table `exceptions` (ids masked when `mask`)."""
    create_cases_view(con)
    paths = {
        "exceptions.csv": out_dir / "exceptions.csv",
        "exceptions.parquet": out_dir / "exceptions.parquet",
    }
    for name, sql in (
        ("exceptions.csv", "exceptions_csv"),
        ("exceptions.parquet", "exceptions_parquet"),
    ):
        con.execute(load_sql("recon.publish", sql), {"path": str(paths[name]), "mask": mask})
    return paths


def write_corrections(out_dir: Path, con: duckdb.DuckDBPyConnection, *, mask: bool = False) -> Path:
    return _table_csv(out_dir, con, "corrections", CORRECTION_COLUMNS, {"mask": mask})


def write_compensation(
    out_dir: Path, con: duckdb.DuckDBPyConnection, *, mask: bool = False
) -> Path:
    """compensation.csv: per customer and currency, or under `[[compensation.policies]]` one
    row per exception and policy with its `policy`, `days` and `basis` (the contract's
    columns first, so a customer's rows still add up to what they are owed)."""
    if table_columns(con, "compensation_explained") and explained(con):
        sql = load_sql("recon.publish", "compensation_lines_csv")
        columns = (*COMPENSATION_COLUMNS, *COMPENSATION_LINE_COLUMNS)
        path = out_dir / "compensation.csv"
        return _copy_or_header(con, "compensation_explained", columns, path, sql, {"mask": mask})
    ids_type = table_columns(con, "compensation").get("exception_ids", "VARCHAR")
    ids = (
        "array_to_string(exception_ids, ';')"
        if ids_type.endswith("[]")
        else "CAST(exception_ids AS VARCHAR)"
    )
    sql = load_sql("recon.publish", "compensation_csv").format(exception_ids=ids)
    return _copy_or_header(
        con, "compensation", COMPENSATION_COLUMNS, out_dir / "compensation.csv", sql, {"mask": mask}
    )


def write_quarantine(out_dir: Path, con: duckdb.DuckDBPyConnection, *, mask: bool = False) -> Path:
    """quarantine.csv: a line that could not be split into fields is only its `sha256:` hash
    (it may hold columns outside the contract); id values are masked when `mask`."""
    params = {"mask": mask, "id_columns": list(ID_COLUMNS)}
    return _table_csv(out_dir, con, "quarantine", QUARANTINE_COLUMNS, params)


def write_exports(
    out_dir: Path, con: duckdb.DuckDBPyConnection, *, mask: bool = False
) -> dict[str, Path]:
    """Every tabular output of a reconciled run, by file name; account and customer ids
    masked when `mask` (`[privacy] mask_exports`)."""
    paths = write_exceptions(out_dir, con, mask=mask)
    paths["corrections.csv"] = write_corrections(out_dir, con, mask=mask)
    paths["compensation.csv"] = write_compensation(out_dir, con, mask=mask)
    paths["quarantine.csv"] = write_quarantine(out_dir, con, mask=mask)
    return paths


def _table_csv(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    params: Mapping[str, object],
) -> Path:
    """`<table>.csv` written by `<table>_csv.sql`."""
    sql = load_sql("recon.publish", f"{table}_csv")
    return _copy_or_header(con, table, columns, out_dir / f"{table}.csv", sql, params)


def _copy_or_header(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    path: Path,
    sql: str,
    params: Mapping[str, object],
) -> Path:
    if table_columns(con, table):
        install_macros(con)
        con.execute(sql, {"path": str(path), **params})
    else:
        write_header_only(path, columns)
    return path


def write_header_only(path: Path, columns: Sequence[str]) -> None:
    """A CSV with just its header: the file exists and says what it would hold."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(columns)
