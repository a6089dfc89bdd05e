"""Parquet files: the SELECT that reads one as text columns with 1-based row numbers.

Typed Parquet values are turned back into text (decimal(18,2) -> "350.97", timestamps with
their offset) so that one parser (macros.sql) decides validity for every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow.parquet as pq

from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.raw import TextRows
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident


def parquet_rows(path: Path, *, rules: SourceRules, mapping: Mapping[str, str]) -> TextRows:
    """The rows of `path` as text, columns matched by the file's schema."""
    try:
        header = pq.read_schema(path).names
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise UnreadableFileError(path, f"not a readable Parquet file: {err}") from None
    positions = column_positions(header, rules, mapping, path)
    columns = [f"{_pick(positions.get(c))} AS {quote_ident(c)}" for c in rules.names]
    return TextRows(
        select=load_sql("recon.ingest", "parquet_rows").format(columns=", ".join(columns)),
        params={"path": str(path)},
        first_line=1,
    )


def _pick(position: int | None) -> str:
    """The file's column at `position` as text (#n is 1-based), or NULL where it has none."""
    return "NULL::VARCHAR" if position is None else f"CAST(#{position + 1} AS VARCHAR)"
