"""What a reader hands on: a DuckDB relation of one file's rows as text, plus the rows that
could not be split into fields at all (malformed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MalformedRow:
    """A row the reader could not split into the file's fields (quarantined as malformed)."""

    line: int
    text: str
    reason: str
    amount: str | None = None  # the amount field, where the row still has one (control sum)


@dataclass(frozen=True)
class RawFile:
    """One file read: `relation` has `_line BIGINT` and every one of our columns as VARCHAR."""

    relation: str
    malformed: tuple[MalformedRow, ...] = ()
