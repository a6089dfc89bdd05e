"""Every error recon raises on purpose, each carrying what a person needs to act on it.

`TerminalError`s mean the input or the configuration is wrong: retrying does not help.
`TransientError`s (a late extract, a locked store) may succeed when tried again; the nightly
flow retries only those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any


def one_line(message: object) -> str:
    """The first non-empty line of a message: a failure is reported as one line."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return lines[0] if lines else ""


class ReconError(Exception):
    """Base of all recon errors; `str(err)` is the message shown to the user."""


class TerminalError(ReconError):
    """Retrying will not help: the input or the configuration must change."""


class TransientError(ReconError):
    """May succeed when tried again later."""


class ConfigError(TerminalError):
    """The config file or a command-line option is invalid."""


class InputError(TerminalError):
    """An extract cannot be reconciled as it is."""


class MissingExtractError(InputError):
    """A required source has no file in the data folder."""

    def __init__(self, source: str, data_dir: Path | str, patterns: list[str]) -> None:
        self.source, self.data_dir, self.patterns = source, str(data_dir), patterns
        super().__init__(
            f"no {source} extract in {data_dir}: expected a file matching " + " or ".join(patterns)
        )


class UnreadableFileError(InputError):
    """A file cannot be read at all (wrong encoding, not a CSV/Parquet/JSON-lines file)."""

    def __init__(self, file: Path | str, reason: str, line: int | None = None) -> None:
        self.file, self.reason, self.line = str(file), reason, line
        where = f"{file}, line {line}" if line is not None else str(file)
        super().__init__(f"cannot read {where}: {reason}")


class IncompleteDeliveryError(InputError):
    """The data folder does not hold a whole delivery: a sidecar without its file, a part
    missing from a numbered sequence, a required extract with no data rows."""

    def __init__(self, file: Path | str, reason: str) -> None:
        self.file, self.reason = str(file), reason
        super().__init__(f"{file}: {reason}")


class ControlTotalMismatch(InputError):
    """A `.control.json` sidecar disagrees with its file: the extract is truncated or corrupt."""

    def __init__(self, file: Path | str, figure: str, expected: str, found: str) -> None:
        self.file, self.figure, self.expected, self.found = str(file), figure, expected, found
        super().__init__(
            f"{file}: control total {figure} is {expected} in the sidecar but {found} in the file"
            " (truncated or corrupt extract)"
        )


class TooManyBadRows(InputError):
    """More than `max_bad_ratio` of a source's rows were quarantined."""

    def __init__(
        self,
        source: str,
        quarantined: int,
        read: int,
        max_ratio: str,
        result: Any = None,
        hint: str = "",
    ) -> None:
        self.source, self.quarantined, self.read, self.max_ratio = (
            source,
            quarantined,
            read,
            max_ratio,
        )
        # the IngestResult read so far, so a stopped run still reports its row accounting
        self.result = result
        super().__init__(
            f"{source}: {quarantined} of {read} rows quarantined, more than max_bad_ratio"
            f" {max_ratio}; see quarantine.csv for file, line, column and reason{hint}"
        )


class AmountOverflowError(InputError):
    """Valid amounts whose sum or difference does not fit the money type recon keeps it in
    (DECIMAL(18,2): 16 integer digits): a finding's amount or compensation, or a file's amount
    sum in the run's record. One amount alone always fits (a longer one is unparseable)."""

    LIMIT = Decimal("9999999999999999.99")

    def __init__(self, where: str, what: str, value: Decimal | str) -> None:
        self.where, self.what, self.value = where, what, str(value)
        super().__init__(
            f"{where}: {what} {value} does not fit DECIMAL(18,2) (at most {self.LIMIT});"
            " the extract's amounts are implausible, check them at the source"
        )


class StoreBusyError(TransientError):
    """Another run holds the exception store."""


class StoreError(TerminalError):
    """The exception store cannot do what was asked (no store, not a DuckDB file)."""


class UnknownExceptionError(StoreError):
    """An analyst named an exception id the store does not hold."""


class IllegalTransitionError(StoreError):
    """An analyst asked for a status change the exception's life cycle does not allow."""


class PermissionDenied(StoreError):
    """The acting user may not do this (unknown, disabled, or a role without the right), or
    the maker-checker rule refuses them (docs/store.md)."""


class StaleVersionError(StoreError):
    """A change was asked against an older version of a row: someone changed it since
    ("changed by X at T"); nothing is overwritten."""


class ClaimedError(StoreError):
    """The item is held by someone else; taking it needs the lead's reassign action."""


class ExtractNotReadyError(TransientError):
    """The nightly pull found required extracts missing from the landing location."""

    def __init__(self, missing: Mapping[str, Sequence[str]]) -> None:
        # landing location -> required sources with no file there yet
        self.missing = {location: tuple(sources) for location, sources in missing.items()}
        super().__init__(
            "extracts not ready: "
            + "; ".join(
                f"{location} has no {', '.join(sources)} extract"
                for location, sources in self.missing.items()
            )
        )


class ExtractsNotDeliveredError(InputError):
    """The pull deadline passed with required extracts still missing: retrying no longer helps."""

    def __init__(self, missing: Mapping[str, Sequence[str]], attempts: int, waited: str) -> None:
        self.missing = {location: tuple(sources) for location, sources in missing.items()}
        self.attempts, self.waited = attempts, waited
        super().__init__(
            f"gave up after {attempts} attempt(s) over {waited}: "
            + "; ".join(
                f"{location} has no {', '.join(sources)} extract"
                for location, sources in self.missing.items()
            )
        )


class UserError(StoreError):
    """A user cannot be added or changed as asked (a taken name, a short password, ...)."""
