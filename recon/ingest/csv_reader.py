"""Read one CSV file (UTF-8) into DuckDB as text, with physical line numbers.

DuckDB does the reading (`read_csv`, all VARCHAR, explicit columns from the header): rows that
do not split into the header's fields are collected by `store_rejects` and returned as
malformed rows; the good rows keep their physical line (header = line 1).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.raw import MalformedRow, RawFile
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident

_KINDS = {
    "MISSING COLUMNS": "too few fields",
    "TOO MANY COLUMNS": "too many fields",
    "UNQUOTED VALUE": "unterminated or stray quote",
    "INVALID UNICODE": "invalid UTF-8 (check the encoding setting)",
    "LINE SIZE OVER MAXIMUM": "line too long",
}


def read_csv_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    name: str,
    rules: SourceRules,
    mapping: Mapping[str, str],
    blank_lines: Sequence[int],
    shown_as: Path,
) -> RawFile:
    """Load `path` (UTF-8) as temp relation `name`; `shown_as` is the file named in errors."""
    header = _header(path, shown_as)
    positions = column_positions(header, rules, mapping, shown_as)
    fields = {f"c{i}": "VARCHAR" for i in range(len(header))}
    table = f"{name}_text"
    con.execute("DROP TABLE IF EXISTS recon_csv_rejects")
    con.execute("DROP TABLE IF EXISTS recon_csv_scans")
    con.execute(
        load_sql("recon.ingest", "csv_table").format(table=table),
        {"path": str(path), "columns": fields},
    )
    rejects = con.execute(load_sql("recon.ingest", "csv_rejects")).fetchall()
    amount_at = positions.get("amount")
    malformed = tuple(
        MalformedRow(
            line=int(line),
            text=text,
            reason=_reason(kinds, message),
            amount=_field(text, amount_at),
        )
        for line, text, kinds, message in rejects
    )
    columns = [
        f"{'t.c' + str(positions[c]) if c in positions else 'NULL'}::VARCHAR AS {quote_ident(c)}"
        for c in rules.names
    ]
    number_rows(
        con,
        table=table,
        view=name,
        columns=columns,
        first_line=2,
        skipped=sorted({m.line for m in malformed} | set(blank_lines)),
    )
    return RawFile(relation=name, malformed=malformed)


def number_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    table: str,
    view: str,
    columns: Sequence[str],
    first_line: int,
    skipped: Sequence[int],
) -> None:
    """Create `view`: the rows of `table` (insertion order = file order) with `_line`.

    `skipped` are the physical lines that hold no row (blank or malformed): each shifts
    every later row one line down.
    """
    starts: dict[int, int] = {}
    for shift, line in enumerate(sorted(x for x in skipped if x >= first_line), start=1):
        starts[line - first_line - (shift - 1)] = shift  # rows before it, then its shift
    skips = f"{view}_skips"
    con.execute(
        load_sql("recon.ingest", "line_skips").format(skips=skips),
        {"starts": list(starts) or [None], "shifts": list(starts.values()) or [None]},
    )
    con.execute(
        load_sql("recon.ingest", "numbered_rows").format(
            view=view,
            first_line=int(first_line),
            columns=", ".join(columns),
            table=table,
            skips=skips,
        )
    )


def _header(path: Path, shown_as: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except StopIteration:
            raise UnreadableFileError(shown_as, "the file is empty (no header row)") from None
        except (csv.Error, UnicodeDecodeError) as err:
            raise UnreadableFileError(shown_as, f"unreadable header: {err}", line=1) from None
    if not any(h.strip() for h in header):
        raise UnreadableFileError(shown_as, "the first line is not a header row", line=1)
    return header


def _reason(kinds: str, message: str) -> str:
    labels = ", ".join(_KINDS.get(k.strip(), k.strip().lower()) for k in kinds.split(","))
    return f"malformed row: {labels} ({message})"


def _field(text: str, position: int | None) -> str | None:
    """Field `position` of a malformed line as the csv module splits it (for control sums)."""
    if position is None:
        return None
    try:
        fields = next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error:
        return None
    return fields[position] if position < len(fields) else None
