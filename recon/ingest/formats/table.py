"""The engine of the tabular formats (CSV, TSV, .xlsx): intro block, header, rows, footer.

A provider bill is an intro block (who, which period, sometimes totals), a header line, the
rows, and a footer (totals). The options say where the header and the footer are; a format
says how one row becomes canonical fields (`Layout.fields`) and which totals the intro and
footer state (`Layout.totals`). Every line is accounted for: a record, a reject, or structure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from recon.errors import IncompleteDeliveryError, UnreadableFileError
from recon.ingest.formats.cells import (
    fen_to_yuan,
    iso_timestamp,
    mangled_id,
    money_text,
    rounded_fee,
)
from recon.ingest.formats.extract import (
    ControlTotal,
    ProviderExtract,
    ProviderRecord,
    ProviderReject,
)
from recon.ingest.formats.grid import Grid, Line, read_grid
from recon.ingest.formats.options import FormatOptions

ID_COLUMNS = frozenset(
    {"gateway_ref", "txn_ref", "entry_id", "request_id", "invoice_id", "idempotency_key",
     "reversal_of"}
)  # fmt: skip
TIME_COLUMNS = frozenset({"gateway_at", "posted_at", "requested_at", "issued_at"})


class Reject(Exception):
    """Raised by a format's row mapping: this row cannot become a record, for this reason."""


Row = Mapping[str, str]  # provider column name (normalised) -> cleaned value


@dataclass(frozen=True)
class Sections:
    """A bill cut into its parts; `rows` holds every data row (records and rejects)."""

    intro: tuple[Line, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[Line, Row], ...]
    footer: tuple[Line, ...]
    options: FormatOptions
    path: Path


def _no_totals(_sections: Sections) -> tuple[ControlTotal, ...]:
    return ()


def mapped_fields(row: Row, options: FormatOptions) -> dict[str, str]:
    """The canonical fields of a row through `options.columns` (a column already named as
    ours is taken as it is)."""
    found: dict[str, str] = {}
    columns = {name_key(k): v for k, v in options.columns.items()}
    for name, value in row.items():
        ours = columns.get(name)
        if ours is None and name in _CANONICAL:
            ours = name
        if ours is not None and ours not in found:
            found[ours] = value
    return found


@dataclass(frozen=True)
class Layout:
    """What a tabular format adds to the engine.

    fields: a row -> its canonical fields (raw provider text; raise Reject to refuse it).
    totals: the control totals the file states, against what its rows add up to.
    headerless: field count -> column names, for a file that carries rows without a header.
    """

    fields: Callable[[Row, FormatOptions], Mapping[str, str]] = mapped_fields
    totals: Callable[[Sections], tuple[ControlTotal, ...]] = _no_totals
    headerless: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


def read_table(path: Path, options: FormatOptions, layout: Layout) -> ProviderExtract:
    """A provider bill as canonical records, its rejects, its own totals and line count."""
    grid = read_grid(
        path, encoding=options.encoding, delimiter=options.delimiter, sheet=options.sheet
    )
    sections = split_sections(path, grid, options, layout)
    records: list[ProviderRecord] = []
    rejects: list[ProviderReject] = []
    for line, row in sections.rows:
        origin = grid.origin(line)
        if _FIELD_COUNT in row:
            rejects.append(ProviderReject(origin, f"malformed row: {row[_FIELD_COUNT]}", line.text))
            continue
        try:
            fields = canonical(layout.fields(row, options), options)
        except Reject as why:
            rejects.append(ProviderReject(origin, str(why), line.text))
            continue
        records.append(ProviderRecord(origin, MappingProxyType(fields)))
    return ProviderExtract(
        source=options.source,
        records=tuple(records),
        rejects=tuple(rejects),
        controls=layout.totals(sections),
        accounted=len(grid.lines),
    )


def split_sections(path: Path, grid: Grid, options: FormatOptions, layout: Layout) -> Sections:
    """Intro, header, data rows and footer of `grid`; blank lines belong to no row."""
    lines = grid.lines
    start = _header_index(lines, options)
    if start is None:
        return _headerless(path, grid, options, layout)
    header = tuple(name_key(clean(c, options)) for c in lines[start].cells)
    end = _footer_index(lines, start + 1, options)
    if end is None and options.footer_required:
        raise IncompleteDeliveryError(
            path,
            f"has no summary lines (starting {options.footer_starts!r}) after its rows: the"
            " file was cut short, so an unknown number of rows is missing",
        )
    body = lines[start + 1 : end]
    rows = tuple((line, _row(path, grid, line, header, options)) for line in body if not line.blank)
    return Sections(
        lines[:start], header, rows, lines[end:] if end is not None else (), options, path
    )


def clean(cell: str, options: FormatOptions) -> str:
    """A cell without padding and the format's prefix (WeChat's backtick)."""
    text = cell.strip()
    if options.strip_prefix:
        text = text.removeprefix(options.strip_prefix).strip()
    return text


def name_key(name: str) -> str:
    """A column name as compared: full-width forms folded (`金额（元）` = `金额(元)`)."""
    return unicodedata.normalize("NFKC", name).strip()


def canonical(fields: Mapping[str, str], options: FormatOptions) -> dict[str, str]:
    """Provider text made canonical: none-values emptied, constants filled, statuses
    mapped, money and times in the contract's form; a spreadsheet-mangled id is refused."""
    out = {k: ("" if v in options.null_values else v) for k, v in fields.items()}
    for column, value in options.constants.items():
        if not out.get(column):
            out[column] = value
    for column in sorted(ID_COLUMNS & out.keys()):
        if mangled_id(out[column]):
            raise Reject(
                f"id mangled by a spreadsheet (scientific notation): {out[column]} in {column}"
            )
    if "status" in out:
        out["status"] = options.status_map.get(out["status"], out["status"])
    for column in ("amount", "fee"):
        if out.get(column):
            text = money_text(out[column])
            if options.amount_unit == "fen":
                text = fen_to_yuan(text)
            out[column] = rounded_fee(text) if column == "fee" else text
    for column in TIME_COLUMNS & out.keys():
        if out[column]:
            out[column] = iso_timestamp(out[column], options.utc_offset)
    return out


_CANONICAL = frozenset(
    {"gateway_ref", "txn_ref", "amount", "currency", "fee", "status", "gateway_at",
     "invoice_required", "entry_id", "account_id", "direction", "posted_at", "request_id",
     "reversal_of", "idempotency_key", "channel", "customer_id", "debit_account",
     "credit_account", "requested_at", "error_code", "invoice_id", "issued_at"}
)  # fmt: skip


def _header_index(lines: tuple[Line, ...], options: FormatOptions) -> int | None:
    if options.skip_rows is not None:
        return options.skip_rows if options.skip_rows < len(lines) else None
    for index, line in enumerate(lines):
        if line.blank:
            continue
        first = clean(line.cells[0], options) if line.cells else ""
        if options.header_starts is None or first.startswith(options.header_starts):
            return index
    return None


def _footer_index(lines: tuple[Line, ...], start: int, options: FormatOptions) -> int | None:
    if not options.footer_starts:
        return None
    for index in range(start, len(lines)):
        cells = lines[index].cells
        if cells and clean(cells[0], options).startswith(options.footer_starts):
            return index
    return None


def _row(
    path: Path, grid: Grid, line: Line, header: tuple[str, ...], options: FormatOptions
) -> Row:
    cells = [clean(c, options) for c in line.cells]
    while len(cells) > len(header) and not cells[-1]:
        cells.pop()  # a trailing separator adds an empty field
    if len(cells) != len(header):
        return MappingProxyType(
            {_FIELD_COUNT: f"{len(cells)} fields, the header has {len(header)}"}
        )
    return MappingProxyType(
        {name: value for name, value in zip(header, cells, strict=True) if name}
    )


# a row that does not split into the header's fields carries only this key (refused later)
_FIELD_COUNT = "\0fields"


def _headerless(path: Path, grid: Grid, options: FormatOptions, layout: Layout) -> Sections:
    """Rows without a header line (as some SDKs hand over a single bill row): read by the
    format's known layouts when every row has one of their field counts."""
    data = [line for line in grid.lines if not line.blank]
    widths = {len(_trimmed(line, options)) for line in data}
    if not data or not layout.headerless or not widths <= set(layout.headerless):
        wanted = options.header_starts or "a header line"
        raise UnreadableFileError(path, f"no header line (one starting {wanted!r}) was found")
    rows = []
    for line in data:
        cells = _trimmed(line, options)
        names = layout.headerless[len(cells)]
        rows.append((line, MappingProxyType(dict(zip(names, cells, strict=True)))))
    return Sections((), (), tuple(rows), (), options, path)


def _trimmed(line: Line, options: FormatOptions) -> list[str]:
    return [clean(c, options) for c in line.cells]
