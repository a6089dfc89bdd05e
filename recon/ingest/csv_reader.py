"""CSV files (UTF-8): the SELECT that reads one as text, and its malformed rows afterwards.

DuckDB does the reading (`read_csv`, all VARCHAR, explicit columns from the header, WITH
ORDINALITY for file order): rows that do not split into the header's fields are collected by
`store_rejects` with their physical line and returned as malformed rows.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import duckdb

from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.raw import MalformedRow, TextRows
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident

_KINDS = {
    "MISSING COLUMNS": "too few fields",
    "TOO MANY COLUMNS": "too many fields",
    "UNQUOTED VALUE": "unterminated or stray quote",
    "INVALID UNICODE": "invalid UTF-8 (check the encoding setting)",
    "INVALID ENCODING": "invalid UTF-8 (check the encoding setting)",
    "LINE SIZE OVER MAXIMUM": "line too long",
}


def csv_rows(
    path: Path, *, rules: SourceRules, mapping: Mapping[str, str], shown_as: Path
) -> TextRows:
    """The rows of `path` (UTF-8) as text; `shown_as` is the file named in errors."""
    header = _header(path, shown_as)
    positions = column_positions(header, rules, mapping, shown_as)
    columns = [
        f"{'c' + str(positions[c]) if c in positions else 'NULL'}::VARCHAR AS {quote_ident(c)}"
        for c in rules.names
    ]
    return TextRows(
        select=load_sql("recon.ingest", "csv_rows").format(columns=", ".join(columns)),
        params={"path": str(path), "csv_columns": {f"c{i}": "VARCHAR" for i in range(len(header))}},
        first_line=2,
        amount_position=positions.get("amount"),
    )


def clear_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the rejects of the previous file (DuckDB appends to the rejects tables)."""
    con.execute("DROP TABLE IF EXISTS recon_csv_rejects")
    con.execute("DROP TABLE IF EXISTS recon_csv_scans")


def rejected_rows(
    con: duckdb.DuckDBPyConnection, amount_position: int | None = None
) -> tuple[MalformedRow, ...]:
    """The rows DuckDB could not split into fields in the file read last, one per line."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'recon_csv_rejects'"
    ).fetchall()[0][0]
    if not found:
        return ()
    return tuple(
        MalformedRow(
            line=int(line),
            text=text,
            reason=_reason(kinds),
            amount=_field(text, amount_position),
        )
        for line, text, kinds in con.execute(load_sql("recon.ingest", "csv_rejects")).fetchall()
    )


def _header(path: Path, shown_as: Path) -> list[str]:
    """The first line's fields (only that line is decoded: a bad byte further down is a
    malformed row, not an unreadable file)."""
    with open(path, "rb") as handle:
        first = handle.readline()
    if not first.strip():
        raise UnreadableFileError(shown_as, "the first line is not a header row", line=1)
    try:
        header = next(csv.reader([first.decode("utf-8-sig").rstrip("\r\n")]))
    except (csv.Error, UnicodeDecodeError) as err:
        raise UnreadableFileError(shown_as, f"unreadable header: {err}", line=1) from None
    return header


def _reason(kinds: str) -> str:
    """A stable reason (reports count rows per reason); the value column holds the line."""
    labels = ", ".join(_KINDS.get(k.strip(), k.strip().lower()) for k in kinds.split(","))
    return f"malformed row: {labels}"


def _field(text: str, position: int | None) -> str | None:
    """Field `position` of a malformed line as the csv module splits it (for control sums)."""
    if position is None:
        return None
    try:
        fields = next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error:
        return None
    return fields[position] if position < len(fields) else None
