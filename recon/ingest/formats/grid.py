"""A provider's text file or spreadsheet sheet as numbered lines of cells.

Every physical line (or sheet row) becomes one `Line`, blank ones included, so the readers can
account for each. Provider bills never continue a record on the next line, so each line is
split on its own: a stray quote costs that line only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from recon.errors import UnreadableFileError

DELIMITERS = (",", "\t", ";", "|")
_BREAK = re.compile(r"\r\n|\n|\r")
SNIFF_LINES = 100


@dataclass(frozen=True)
class Line:
    number: int  # physical line of a text file, row of a sheet (1-based)
    cells: tuple[str, ...]
    text: str  # the line as written (for quarantine)

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class Grid:
    lines: tuple[Line, ...]
    unit: str  # "line" (text) or "row" (sheet): how an origin names a position

    def origin(self, line: Line) -> str:
        return f"{self.unit} {line.number}"


def read_grid(
    path: Path, *, encoding: str, delimiter: str | None, sheet: str | None = None
) -> Grid:
    """The lines of `path`: an .xlsx sheet (`sheet`, default the first) or text in `encoding`
    split on `delimiter` (None: the most frequent of `DELIMITERS` in the first lines)."""
    if path.suffix.lower() == ".xlsx":
        return _sheet_grid(path, sheet)
    return text_grid(path, decode(path, encoding), delimiter)


def decode(path: Path, encoding: str) -> str:
    """The text of `path`; bytes not valid in `encoding` stop the run naming the line."""
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise UnreadableFileError(
            path, f"not valid {encoding}; check the `encoding` setting of this source", line=line
        ) from None
    return text.removeprefix("\ufeff")


def text_grid(path: Path, text: str, delimiter: str | None) -> Grid:
    raw = _BREAK.split(text)
    if raw and raw[-1] == "":
        raw.pop()  # the newline that ends the last line starts no line
    delimiter = delimiter or sniff(raw[:SNIFF_LINES])
    lines = tuple(
        Line(number, tuple(_split(text_line, delimiter)), text_line)
        for number, text_line in enumerate(raw, start=1)
    )
    return Grid(lines, "line")


def sniff(lines: Sequence[str]) -> str:
    """The delimiter used most in `lines` (ties go to the earlier of `DELIMITERS`)."""
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _split(line: str, delimiter: str) -> list[str]:
    if not line:
        return []
    return next(csv.reader([line], delimiter=delimiter), [])


def _sheet_grid(path: Path, sheet: str | None) -> Grid:
    from openpyxl import load_workbook  # only a spreadsheet needs it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFileError(path, f"not a readable .xlsx workbook ({err})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UnreadableFileError(
                path, f"has no sheet {sheet!r} (its sheets: {', '.join(book.sheetnames)})"
            )
        rows = book[sheet or book.sheetnames[0]].iter_rows(values_only=True)
        lines = []
        for number, row in enumerate(rows, start=1):
            cells = tuple(cell_text(value) for value in row)
            lines.append(Line(number, cells, ",".join(cells)))
    finally:
        book.close()
    return Grid(tuple(lines), "row")


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would show."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # a whole number below 1e16 prints without ".0"; larger ones keep the exponent, which
        # is how an id the sheet turned into a number is recognised
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
