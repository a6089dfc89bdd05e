"""Parquet files: the SELECT that reads one with 1-based row numbers.

A column stored as exactly what the schema wants (a decimal with at most two places and 16
integer digits, a timestamp with a time zone, a boolean) is taken as it is: the value cannot
be malformed, so reparsing it as text would only cost time. Every other column is turned into
text (decimal(18,4) -> "350.9700", a timestamp without zone -> wall-clock text) so that one
parser (macros.sql) decides validity for it, as for CSV and JSON Lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.raw import TextRows
from recon.ingest.rules import ColumnRule, SourceRules
from recon.sql import load_sql, quote_ident


def parquet_rows(path: Path, *, rules: SourceRules, mapping: Mapping[str, str]) -> TextRows:
    """The rows of `path`, columns matched by the file's schema."""
    try:
        schema = pq.read_schema(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise UnreadableFileError(path, f"not a readable Parquet file: {err}") from None
    positions = column_positions(schema.names, rules, mapping, path)
    for c in rules.columns:
        stored = schema.field(positions[c.name]).type if c.name in positions else None
        if c.kind == "decimal" and stored is not None and pa.types.is_floating(stored):
            # CONTRACT.md: Parquet amounts are decimal(18,2) or decimal strings; a float's
            # text is not what was sent (88980876322235.18 reads back as ...235.19)
            raise UnreadableFileError(
                path,
                f"column {c.name} is stored as {stored}, a binary floating-point type that"
                " cannot hold money exactly: export it as decimal(18,2) or as text",
            )
    typed = frozenset(
        c.name
        for c in rules.columns
        if c.name in positions and stored_as_schema_type(schema.field(positions[c.name]).type, c)
    )
    columns = [
        f"{_pick(positions.get(c.name), c, c.name in typed)} AS {quote_ident(c.name)}"
        for c in rules.columns
    ]
    return TextRows(
        select=load_sql("recon.ingest", "parquet_rows").format(columns=", ".join(columns)),
        params={"path": str(path)},
        first_line=1,
        typed=typed,
    )


def stored_as_schema_type(stored: pa.DataType, column: ColumnRule) -> bool:
    """Whether every value of a column stored as `stored` is already a valid `column` value
    (so only its null and value checks remain)."""
    if column.kind == "decimal":
        return (
            pa.types.is_decimal(stored)
            and 0 <= stored.scale <= 2
            and stored.precision - stored.scale <= 16
        )
    if column.kind == "timestamp":
        return pa.types.is_timestamp(stored) and stored.tz is not None
    if column.kind == "boolean":
        return pa.types.is_boolean(stored)
    return False  # text is trimmed and blank-checked by its parser either way


def _pick(position: int | None, column: ColumnRule, typed: bool) -> str:
    """The file's column at `position` (#n is 1-based), or NULL where it has none."""
    if position is None:
        return "NULL::VARCHAR"
    return f"CAST(#{position + 1} AS {column.duckdb_type if typed else 'VARCHAR'})"
