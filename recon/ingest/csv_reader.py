"""CSV files (UTF-8): reading one into its source's table, and its malformed rows.

DuckDB does the reading (`read_csv`, all VARCHAR, explicit columns from the header, the
header's delimiter, WITH ORDINALITY for file order): rows that do not split into the header's
fields are collected by `store_rejects` with their line and returned as malformed rows.

Every physical line after the header is accounted for: a row, a malformed row, a blank line,
or a line inside a quoted field of the record above. A clean file is checked by counting
(header + rows + rejects = lines, from the file scan that hashes it); only when that fails is
the file searched for blank lines, and when those do not explain the difference either (a
record spans lines, a quote swallowed lines, DuckDB could not read it through) the file is
rewritten record by record (`csv_lines.resync`) and read again from the copy.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from recon.config import SourceConfig
from recon.errors import UnreadableFileError
from recon.ingest.columns import column_positions
from recon.ingest.csv_lines import resync
from recon.ingest.raw import MalformedRow, TextRows
from recon.ingest.rules import SourceRules
from recon.ingest.scan import FileScan, blank_lines
from recon.ingest.stage import ROW_BITS, Parsing, insert_rows, shift_lines
from recon.ingest.transcode import encoding_hint, line_hint
from recon.sql import load_sql, quote_ident

INVALID_UTF8 = "invalid UTF-8 (check the encoding setting)"
_KINDS = {
    "MISSING COLUMNS": "too few fields",
    "TOO MANY COLUMNS": "too many fields",
    "UNQUOTED VALUE": "unterminated or stray quote",
    "INVALID UNICODE": INVALID_UTF8,
    "INVALID ENCODING": INVALID_UTF8,
    "LINE SIZE OVER MAXIMUM": "line too long",
}
DELIMITERS = (",", ";", "\t", "|")  # tried in this order when none is configured
_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}


def read_csv(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    path: Path,
    *,
    shown_as: Path,
    file_no: int,
    settings: SourceConfig,
    parsing: Parsing,
    scan: Callable[[], FileScan],
    tmp: Path,
) -> tuple[MalformedRow, ...]:
    """Type the rows of `path` (UTF-8; `shown_as` is the file named in errors and in the
    table) into the source's table with their physical lines; its malformed rows."""
    header, delimiter = _header(path, shown_as, rules, settings)
    positions = column_positions(header, rules, settings.columns, shown_as)
    amount = positions.get("amount")
    rows = csv_rows(path, header=header, positions=positions, rules=rules, delimiter=delimiter)
    inserted = _insert(con, rules, rows, file_no, shown_as, parsing)
    if inserted is not None:
        malformed = rejected_rows(con, amount, delimiter)
        counted = scan()
        rejects = [m.line for m in malformed]
        blanks: tuple[int, ...] = ()
        plausible = counted.uniform and _within(rejects, counted.lines)
        if plausible and counted.lines != 1 + inserted + len(malformed):
            blanks = blank_lines(path)  # some lines are neither header nor row
        if plausible and counted.lines == 1 + inserted + len(malformed) + len(blanks):
            _place(con, rules, file_no, [*blanks, *rejects])
            return malformed
        _remove_file_rows(con, rules, file_no)
    # a record spans lines, or DuckDB could not read the file through: record by record
    copy = tmp / f"{rules.source}-{file_no}.records.csv"
    layout = resync(path, copy, delimiter=delimiter, fields=len(header), amount_position=amount)
    rows = csv_rows(copy, header=header, positions=positions, rules=rules, delimiter=delimiter)
    inserted = _insert(con, rules, rows, file_no, shown_as, parsing)
    rejected = rejected_rows(con, amount, delimiter) if inserted is not None else ()
    if inserted is None or inserted + len(rejected) != layout.records:
        raise UnreadableFileError(
            shown_as, "not readable as CSV record by record (every line could not be accounted for)"
        )
    lines = _physical([m.line for m in rejected], layout.skipped)
    rejected = tuple(
        MalformedRow(line, m.text, m.reason, m.amount)
        for line, m in zip(lines, rejected, strict=True)
    )
    _place(con, rules, file_no, [*layout.skipped, *lines])
    return tuple(sorted([*rejected, *layout.damaged], key=lambda m: m.line))


def csv_rows(
    path: Path,
    *,
    header: Sequence[str],
    positions: Mapping[str, int],
    rules: SourceRules,
    delimiter: str = ",",
) -> TextRows:
    """The SELECT of the rows of `path` (UTF-8) as text, our columns at `positions`."""
    columns = [
        f"{'c' + str(positions[c]) if c in positions else 'NULL'}::VARCHAR AS {quote_ident(c)}"
        for c in rules.names
    ]
    return TextRows(
        select=load_sql("recon.ingest", "csv_rows").format(columns=", ".join(columns)),
        params={
            "path": str(path),
            "csv_columns": {f"c{i}": "VARCHAR" for i in range(len(header))},
            "delim": delimiter,
        },
        first_line=2,
        amount_position=positions.get("amount"),
    )


def clear_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the rejects of the previous file (DuckDB appends to the rejects tables)."""
    con.execute("DROP TABLE IF EXISTS recon_csv_rejects")
    con.execute("DROP TABLE IF EXISTS recon_csv_scans")


def rejected_rows(
    con: duckdb.DuckDBPyConnection, amount_position: int | None = None, delimiter: str = ","
) -> tuple[MalformedRow, ...]:
    """The rows DuckDB could not split into fields in the file read last, one per record
    (`line` is DuckDB's: newlines inside quoted fields are not counted)."""
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
            amount=_field(text, amount_position, delimiter),
        )
        for line, text, kinds in con.execute(load_sql("recon.ingest", "csv_rejects")).fetchall()
    )


def encoding_advice(con: duckdb.DuckDBPyConnection, source: str) -> str:
    """For a source with too many bad rows: when some are not valid UTF-8, the first one's
    file and line and an encoding its bytes decode in ("" when none is quarantined so)."""
    found = con.execute(
        load_sql("recon.ingest", "first_invalid_utf8"), {"source": source, "label": INVALID_UTF8}
    ).fetchall()
    if not found:
        return ""
    file, line = found[0]
    hint = line_hint(Path(file), int(line), source)
    return f"; {Path(file).name} line {line} is not valid UTF-8{hint}"


def _insert(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    rows: TextRows,
    file_no: int,
    shown_as: Path,
    parsing: Parsing,
) -> int | None:
    """insert_rows; None when DuckDB gave up on the file (it then inserted nothing)."""
    clear_rejects(con)
    try:
        return insert_rows(con, rules, rows, file_no=file_no, file=str(shown_as), parsing=parsing)
    except duckdb.InvalidInputException:  # e.g. LF and CRLF line ends mixed in strict mode
        return None


def _place(
    con: duckdb.DuckDBPyConnection, rules: SourceRules, file_no: int, skipped: Sequence[int]
) -> None:
    """Move the file's rows below the lines that start no row (their physical lines)."""
    shift_lines(con, rules, file_no=file_no, first_line=2, skipped=skipped)


def _remove_file_rows(con: duckdb.DuckDBPyConnection, rules: SourceRules, file_no: int) -> None:
    con.execute(
        load_sql("recon.ingest", "remove_file_rows").format(table=quote_ident(rules.source)),
        {"row_base": file_no << ROW_BITS, "row_span": 1 << ROW_BITS},
    )


def _within(lines: Sequence[int], last: int) -> bool:
    """Whether DuckDB's reject lines are distinct lines of the file after the header."""
    return len(set(lines)) == len(lines) and all(2 <= n <= last for n in lines)


def _physical(numbers: Sequence[int], skipped: Sequence[int]) -> list[int]:
    """The physical lines of records numbered by DuckDB in the copy (header = 1, ascending),
    given the sorted physical lines that start no record of the copy."""
    found, shift, k = [], 0, 0
    for number in numbers:
        while k < len(skipped) and skipped[k] <= number + shift:
            shift += 1
            k += 1
        found.append(number + shift)
    return found


def _header(
    path: Path, shown_as: Path, rules: SourceRules, settings: SourceConfig
) -> tuple[list[str], str]:
    """The first line's fields and the file's delimiter (only that line is decoded: a bad
    byte further down is a malformed row, not an unreadable file)."""
    with open(path, "rb") as handle:
        first = handle.readline()
    if not first.strip():
        raise UnreadableFileError(shown_as, "the first line is not a header row", line=1)
    try:
        text = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as err:
        hint = encoding_hint(shown_as, rules.source, lambda line: _sensible(line, rules, settings))
        raise UnreadableFileError(
            shown_as, f"unreadable header: not valid UTF-8 ({err.reason}){hint}", line=1
        ) from None
    if "\r" in text:
        raise UnreadableFileError(
            shown_as,
            "the header line holds a bare carriage return: lines must end in LF or CRLF"
            " (old Mac CR-only line ends are not read)",
            line=1,
        )
    delimiter = settings.delimiter or _detect(text, rules, settings.columns)
    try:
        header = next(csv.reader([text], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration) as err:
        raise UnreadableFileError(shown_as, f"unreadable header: {err}", line=1) from None
    if len(header) == 1 and len(rules.names) > 1:
        other = next((d for d in DELIMITERS if d != delimiter and d in text), None)
        if other is not None:
            raise UnreadableFileError(
                shown_as,
                f"the header reads as one column {text[:80]!r} holding {_NAMES[other]}: the"
                f" delimiter is wrong; set delimiter = {_toml(other)} in recon.toml"
                f" ([sources.{rules.source}] delimiter)",
                line=1,
            )
    return header, delimiter


def _detect(text: str, rules: SourceRules, mapping: Mapping[str, str]) -> str:
    """The delimiter that splits the header into the most of our (or mapped) columns; with
    none, the one occurring most; comma first on ties."""

    def score(delimiter: str) -> tuple[int, int]:
        try:
            fields = next(csv.reader([text], delimiter=delimiter))
        except csv.Error:
            return (-1, -1)
        return (_known(fields, rules, mapping), text.count(delimiter))

    return max(DELIMITERS, key=lambda d: (score(d), -DELIMITERS.index(d)))


def _known(fields: Sequence[str], rules: SourceRules, mapping: Mapping[str, str]) -> int:
    ours = {n.lower() for n in rules.names}
    names = [f.strip().removeprefix("\ufeff").strip() for f in fields]
    return sum(1 for n in names if n.lower() in ours or n in mapping)


def _sensible(line: str, rules: SourceRules, settings: SourceConfig) -> bool:
    """Whether a header decoded in some encoding looks like this source's header."""
    text = line.removeprefix("\ufeff").rstrip("\r\n")
    if any(ord(c) < 32 and c != "\t" for c in text) or "\ufffd" in text:
        return False
    fields = next(csv.reader([text], delimiter=settings.delimiter or _detect(text, rules, {})))
    return _known(fields, rules, settings.columns) > 0 or not rules.names


def _toml(delimiter: str) -> str:
    return '"\\t"' if delimiter == "\t" else f'"{delimiter}"'


def _reason(kinds: str) -> str:
    """A stable reason (reports count rows per reason); the value column holds the line."""
    labels = ", ".join(_KINDS.get(k.strip(), k.strip().lower()) for k in kinds.split(","))
    return f"malformed row: {labels}"


def _field(text: str, position: int | None, delimiter: str = ",") -> str | None:
    """Field `position` of a malformed line as the csv module splits it (for control sums)."""
    if position is None:
        return None
    try:
        fields = next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return None
    return fields[position] if position < len(fields) else None
