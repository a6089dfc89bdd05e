"""Write the filtered exception queue to a file for people outside recon (CSV or Excel).

Both are safe to open in a spreadsheet (recon.safety): every text cell is neutralised, and
Excel cells are written as strings, never formulas. CSV times are ISO 8601 UTC with `+00:00`,
as in exceptions.csv; Excel gets money as numbers with two places, times as real dates, a
frozen header row and a filter.

polars and xlsxwriter are imported when an export runs, not when the `recon` command line is
built, so that other commands do not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from recon.config import SlaPolicy
from recon.errors import StoreError
from recon.privacy import mask_columns
from recon.safety import spreadsheet_cell, xlsx_cell
from recon.store.lock import DEFAULT_WAIT_SECONDS

if TYPE_CHECKING:
    import polars as pl
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from recon.store.queries import ExceptionFilter

EXPORT_FORMATS = ("csv", "xlsx")
# exceptions.csv's timestamp format (recon/publish/macros.sql `publish_iso`)
CSV_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%:z"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Exported:
    """What an export wrote: rows, and how many values were cut to fit a cell (Excel only)."""

    rows: int
    truncated: int = 0


def export_exceptions(
    store_path: str | Path,
    output: str | Path,
    fmt: str,
    filters: ExceptionFilter | None = None,
    *,
    as_of: datetime | None = None,
    sla: SlaPolicy | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    mask: bool = False,
) -> Exported:
    """Write the exceptions `list` would show to `output`; says how many rows were written.

    CSV keeps amounts as exact decimal text and times in ISO 8601 UTC. Excel holds no time
    zones, so its times are UTC wall-clock times (the column names say so). A value longer
    than an Excel cell holds is cut with a visible marker and counted in `truncated`.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    from recon.store.queries import list_exceptions

    frame = list_exceptions(store_path, filters, as_of=as_of, sla=sla, wait_seconds=wait_seconds)
    if mask:  # account and customer ids as `AC******0224` (recon.privacy); full by default
        frame = mask_columns(frame)
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path.write_text(csv_text(frame), encoding="utf-8")
        return Exported(frame.height)
    return Exported(frame.height, _write_xlsx(frame, path))


def csv_text(frame: pl.DataFrame) -> str:
    """The frame as CSV safe to open in a spreadsheet: text cells neutralised (recon.safety),
    money as exact decimals, times ISO 8601 in UTC with `+00:00` like exceptions.csv."""
    import polars as pl

    text = [n for n, t in frame.schema.items() if t == pl.String]
    zoned = [n for n, t in frame.schema.items() if isinstance(t, pl.Datetime) and t.time_zone]
    safe = frame.with_columns(
        *(pl.col(n).map_elements(spreadsheet_cell, return_dtype=pl.String) for n in text),
        *(pl.col(n).dt.convert_time_zone("UTC") for n in zoned),
    )
    return safe.write_csv(datetime_format=CSV_TIME_FORMAT)


def _write_xlsx(frame: pl.DataFrame, path: Path) -> int:
    """One sheet, every cell written by its type (never a formula); returns values cut."""
    import polars as pl
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    truncated = 0
    with xlsxwriter.Workbook(str(path), options) as workbook:
        sheet = workbook.add_worksheet("exceptions")
        header = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": XLSX_MONEY_FORMAT})
        hours = workbook.add_format({"num_format": "0.0"})
        when = workbook.add_format({"num_format": XLSX_TIME_FORMAT})
        formats: dict[str, Format] = {}
        for col, (name, dtype) in enumerate(frame.schema.items()):
            zoned = isinstance(dtype, pl.Datetime) and dtype.time_zone
            sheet.write_string(0, col, f"{name}_utc" if zoned else name, header)
            if isinstance(dtype, pl.Decimal):
                formats[name] = money if dtype.scale == 2 else hours
            elif isinstance(dtype, pl.Datetime | pl.Date):
                formats[name] = when
        for row, values in enumerate(frame.iter_rows(named=True), start=1):
            for col, (name, value) in enumerate(values.items()):
                truncated += _write_cell(sheet, row, col, value, formats.get(name))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, frame.height, max(frame.width - 1, 0))
        sheet.autofit()
    return truncated


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: object, cell_format: Format | None
) -> int:
    """Write one value by its type; 1 when a text was cut to fit the cell, else 0."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, Decimal | int):
        # xlsxwriter writes a Decimal's own digits (format G): no float on the way
        sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime):
        utc = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        sheet.write_datetime(row, col, utc, cell_format)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, cell_format)
    else:
        text, cut = xlsx_cell(str(value))
        sheet.write_string(row, col, text)
        return int(cut)
    return 0
