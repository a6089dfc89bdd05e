"""A source file in a provider's format, through the same validation as a canonical file.

The reader's records are written as a canonical UTF-8 CSV in the run's temporary folder and
read by the ordinary CSV path, so every rule, duplicate check and quarantine applies
unchanged; afterwards each quarantined row is placed back at the provider file's own line
(or member, or XML element). The file's own totals must agree before anything is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from recon.config import SourceConfig
from recon.errors import ControlTotalMismatch, InputError, UnreadableFileError
from recon.ingest.csv_reader import read_csv
from recon.ingest.formats import FORMATS
from recon.ingest.formats.extract import ControlTotal, ProviderExtract
from recon.ingest.raw import MalformedRow
from recon.ingest.rules import SourceRules
from recon.ingest.scan import scan_file
from recon.ingest.stage import Parsing
from recon.sql import load_sql, quote_ident

_LINE = re.compile(r"^(?:(?P<member>.+) )?(?:line|row) (?P<number>\d+)$")


class ProviderTotalMismatch(ControlTotalMismatch):
    """A total the provider's file states about itself disagrees with its rows."""

    def __init__(
        self, file: Path | str, figure: str, expected: str, found: str, hint: str = ""
    ) -> None:
        self.file, self.figure, self.expected, self.found = str(file), figure, expected, found
        self.hint = hint
        InputError.__init__(
            self,
            f"{file}: its own total {figure} is {expected} but its rows add up to {found}"
            f" ({hint or 'truncated or corrupt file'})",
        )


@dataclass(frozen=True)
class Placement:
    """Where each line of a provider file's canonical copy came from."""

    path: Path
    copy_lines: tuple[int, ...]
    files: tuple[str, ...]
    lines: tuple[int | None, ...]


@dataclass(frozen=True)
class ProviderRead:
    malformed: tuple[MalformedRow, ...]
    placement: Placement


def read_provider_file(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    path: Path,
    *,
    file_no: int,
    settings: SourceConfig,
    parsing: Parsing,
    tmp: Path,
) -> ProviderRead:
    """Type the records of a provider file into its source's table; its rejects as
    malformed rows (quarantined later, like a canonical file's)."""
    fmt = FORMATS[settings.format or ""]
    extract = fmt.read(path, settings.format_options)
    check_accounting(path, extract)
    check_totals(path, extract.controls)
    copy = tmp / f"{rules.source}-{file_no}.{fmt.name}.csv"
    copy_lines, next_line = write_canonical(copy, rules, extract)
    malformed = read_csv(
        con,
        rules,
        copy,
        shown_as=path,
        file_no=file_no,
        settings=SourceConfig(delimiter=","),
        parsing=parsing,
        scan=lambda: scan_file(copy),
        tmp=tmp,
    )
    origins = [r.origin for r in extract.records]
    rejects = []
    for offset, reject in enumerate(extract.rejects):
        line = next_line + offset
        copy_lines.append(line)
        origins.append(reject.origin)
        rejects.append(MalformedRow(line, reject.text or reject.origin, reject.reason))
    files, lines = zip(*(placed(path, o) for o in origins), strict=True) if origins else ((), ())
    placement = Placement(path, tuple(copy_lines), tuple(files), tuple(lines))
    return ProviderRead(tuple(sorted([*malformed, *rejects], key=lambda m: m.line)), placement)


def format_files(settings: SourceConfig) -> dict[str, Any]:
    """How `extract_files` finds a source's files: its format's suffixes and name pattern
    (nothing for a canonical source)."""
    if not settings.format:
        return {}
    options = settings.format_options
    return {"suffixes": FORMATS[settings.format].suffixes, "pattern": options.files}


def check_accounting(path: Path, extract: ProviderExtract) -> None:
    """A reader returns no more records and rejects than the lines/elements it saw."""
    if len(extract.records) + len(extract.rejects) > extract.accounted:
        raise UnreadableFileError(
            path,
            f"{len(extract.records)} records and {len(extract.rejects)} rejects from"
            f" {extract.accounted} lines: the reader's accounting is wrong",
        )


def check_totals(path: Path, controls: Sequence[ControlTotal]) -> None:
    """The first of the file's own totals that disagrees stops the run, naming both figures
    (and the reader's hint, when it knows what would make the figure agree)."""
    for control in controls:
        if control.expected != control.actual:
            raise ProviderTotalMismatch(
                path, control.name, str(control.expected), str(control.actual), control.hint
            )


def write_canonical(
    copy: Path, rules: SourceRules, extract: ProviderExtract
) -> tuple[list[int], int]:
    """The records as a canonical CSV (our column names, UTF-8); the copy line of each record
    and the first line after them."""
    lines: list[int] = []
    line = 2
    with open(copy, "w", encoding="utf-8", newline="") as out:
        out.write(_csv_line(rules.names))
        for record in extract.records:
            text = _csv_line([record.fields.get(name, "") for name in rules.names])
            out.write(text)
            lines.append(line)
            line += text.count("\n")
    return lines, line


def placed(path: Path, origin: str) -> tuple[str, int | None]:
    """The quarantine file and line of an origin: `line 7` (or `row 7`) is line 7 of the
    file; `MEMBER line 7` is line 7 of a member of an archive (`file.zip#MEMBER`); anything
    else (an XML element path) is named after the file (`file.xml#/Document/...`)."""
    match = _LINE.match(origin)
    if match is None:
        return f"{path}#{origin}", None
    member = match["member"]
    return (f"{path}#{member}" if member else str(path)), int(match["number"])


def place_origins(con: duckdb.DuckDBPyConnection, rules: SourceRules, where: Placement) -> None:
    """Quarantined and valid rows of one provider file at the provider file's own places."""
    if not where.copy_lines:
        return
    con.execute(
        load_sql("recon.ingest.formats", "place_origins"),
        {
            "source": rules.source,
            "path": str(where.path),
            "copy_lines": list(where.copy_lines),
            "files": list(where.files),
            "lines": list(where.lines),
        },
    )
    con.execute(
        load_sql("recon.ingest.formats", "place_origin_lines").format(
            table=quote_ident(rules.source)
        ),
        {"path": str(where.path), "copy_lines": list(where.copy_lines), "lines": list(where.lines)},
    )


def _csv_line(values: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()
