"""Control totals a bill states (a footer, an intro line) against what its rows add up to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from recon.errors import UnreadableFileError
from recon.ingest.formats.cells import decimal_or_none
from recon.ingest.formats.extract import ControlTotal
from recon.ingest.formats.grid import Line
from recon.ingest.formats.options import FormatOptions

Rows = Sequence[tuple[Line, Mapping[str, str]]]
Match = Callable[[Mapping[str, str]], bool]


def figure(name: str, text: str, where: str) -> Decimal:
    """A stated total as a decimal; a summary that does not hold a number is unreadable."""
    value = decimal_or_none(text)
    if value is None:
        raise UnreadableFileError(where, f"its summary figure {name} is not a number: {text!r}")
    return value


def count(name: str, expected: Decimal, rows: Rows, match: Match | None = None) -> ControlTotal:
    """The stated number of rows (those `match`ing) against the rows there are."""
    actual = sum(1 for _line, row in rows if match is None or match(row))
    return ControlTotal(name, expected, Decimal(actual))


def total(
    name: str, expected: Decimal, rows: Rows, column: str, match: Match | None = None
) -> ControlTotal:
    """The stated sum of `column` (over the rows `match`ing) against the exact sum of the
    values that are numbers (`¥`, `元` and the backtick already gone)."""
    values = (
        decimal_or_none(row.get(column))
        for _line, row in rows
        if column in row and (match is None or match(row))
    )
    return ControlTotal(name, expected, sum((v for v in values if v is not None), Decimal(0)))


def footer_figures(
    footer: Sequence[Line], options: FormatOptions, path: Path
) -> dict[str, Decimal]:
    """A footer of a names line and a figures line (WeChat Pay) as name -> figure."""
    from recon.ingest.formats.table import clean, name_key

    lines = [line for line in footer if not line.blank]
    if len(lines) < 2:
        raise UnreadableFileError(
            path, "its summary lines are incomplete (names without figures): the file was cut short"
        )
    names = [name_key(clean(c, options)) for c in lines[0].cells]
    values = [clean(c, options) for c in lines[1].cells]
    where = f"{path}, line {lines[1].number}"
    return {
        name: figure(name, value, where) for name, value in zip(names, values, strict=False) if name
    }


def present(checks: Iterable[ControlTotal | None]) -> tuple[ControlTotal, ...]:
    return tuple(c for c in checks if c is not None)
