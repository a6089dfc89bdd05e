"""Read one Parquet file into DuckDB as text columns with 1-based row numbers.

Typed Parquet values are turned back into text (decimal(18,2) -> "350.97", timestamps with
their offset) so that one parser in stage.sql decides validity for every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.raw import RawFile
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident


def read_parquet_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    name: str,
    rules: SourceRules,
    mapping: Mapping[str, str],
) -> RawFile:
    """Load `path` as temp table `name` (`_line` and our columns as VARCHAR)."""
    try:
        header = pq.read_schema(path).names
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise UnreadableFileError(path, f"not a readable Parquet file: {err}") from None
    positions = column_positions(header, rules, mapping, path)
    columns = [f"{_pick(positions.get(c))} AS {quote_ident(c)}" for c in rules.names]
    try:
        con.execute(
            load_sql("recon.ingest", "parquet_table").format(
                table=name, columns=", ".join(columns)
            ),
            {"path": str(path)},
        )
    except duckdb.Error as err:
        raise UnreadableFileError(path, f"not a readable Parquet file: {err}") from None
    return RawFile(relation=name)


def _pick(position: int | None) -> str:
    """The file's column at `position` as text (#n is 1-based), or NULL where it has none."""
    return "NULL::VARCHAR" if position is None else f"CAST(#{position + 1} AS VARCHAR)"
