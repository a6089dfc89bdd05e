"""Rows between the DuckDB catalog and PostgreSQL, by COPY in CSV, without Python per row.

Both sides speak CSV in C: PostgreSQL's `COPY ... TO STDOUT` is read by DuckDB's `read_csv`
and DuckDB's `COPY ... TO` feeds `COPY ... FROM STDIN`, through a file in a private temp
folder. What CSV would blur is spelled out: NULL is an empty field and the empty string a
quoted one (both sides, `allow_quoted_nulls = false`); bytes travel as hex (`\\x...`, which
bytea reads); JSON as the text written (the audit chain hashes the text); timestamps in UTC
(both connections are set to it) with microseconds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import psycopg

from recon.sql import quote_ident

_CHUNK = 1 << 20

Columns = Sequence[tuple[str, str]]  # (name, DuckDB type)


def pg_to_duckdb(
    conn: psycopg.Connection, pg_source: str, con: duckdb.DuckDBPyConnection, target: str,
    columns: Columns,
) -> None:  # fmt: skip
    """Append the rows of PostgreSQL table (or parenthesised query) `pg_source` to DuckDB
    table `target`, both with `columns`."""
    select = ", ".join(_pg_out(name, kind) for name, kind in columns)
    with tempfile.TemporaryDirectory(prefix="recon-pg-") as folder:
        path = Path(folder) / "rows.csv"
        with path.open("wb") as out, conn.cursor().copy(
            f"COPY (SELECT {select} FROM {pg_source}) TO STDOUT (FORMAT csv)"
        ) as copy:  # fmt: skip
            for chunk in copy:
                out.write(chunk)
        if path.stat().st_size == 0:
            return
        as_text = {f"c{i}": "VARCHAR" for i in range(len(columns))}
        casts = ", ".join(
            f"{_duck_in(f'c{i}', kind)} AS {quote_ident(name)}"
            for i, (name, kind) in enumerate(columns)
        )
        con.execute(
            f"INSERT INTO {target} BY NAME SELECT {casts} FROM read_csv($path, header = false,"
            " delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false,"
            " max_line_size = $max_line,"
            " columns = $columns)",
            # no row is longer than the file: a large attachment or evidence row fits
            {"path": str(path), "columns": as_text, "max_line": path.stat().st_size + 1},
        )


def duckdb_to_pg(
    con: duckdb.DuckDBPyConnection, duck_source: str, conn: psycopg.Connection, target: str,
    columns: Columns,
) -> None:  # fmt: skip
    """COPY the rows of DuckDB table (or parenthesised query) `duck_source` into PostgreSQL
    table `target`, both with `columns`."""
    select = ", ".join(_duck_out(name, kind) for name, kind in columns)
    names = ", ".join(quote_ident(name) for name, _ in columns)
    with tempfile.TemporaryDirectory(prefix="recon-pg-") as folder:
        path = Path(folder) / "rows.csv"
        target_file = str(path).replace("'", "''")
        con.execute(
            f"COPY (SELECT {select} FROM {duck_source}) TO '{target_file}'"
            " (FORMAT csv, HEADER false)"
        )
        with path.open("rb") as rows, conn.cursor().copy(
            f"COPY {target} ({names}) FROM STDIN (FORMAT csv)"
        ) as copy:  # fmt: skip
            while chunk := rows.read(_CHUNK):
                copy.write(chunk)


def _pg_out(name: str, kind: str) -> str:
    quoted = quote_ident(name)
    return f"encode({quoted}, 'hex')" if kind == "BLOB" else quoted


def _duck_in(field: str, kind: str) -> str:
    if kind == "BLOB":
        return f"unhex({field})"
    return f"CAST({field} AS {kind})"


def _duck_out(name: str, kind: str) -> str:
    quoted = quote_ident(name)
    if kind == "BLOB":
        return f"'\\x' || lower(hex({quoted}))"
    return quoted
