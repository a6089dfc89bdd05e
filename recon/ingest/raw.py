"""What a reader hands on: a SELECT of one file's rows as text, and the rows that could not
be split into fields at all (malformed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TextRows:
    """`select` yields `_ordinal` (1-based, in file order) and each of our columns as VARCHAR,
    except the `typed` columns, which arrive already in their schema type (a Parquet column
    stored as exactly that type) and so skip the text parsers.

    A row's line is `_ordinal + first_line - 1`, plus one for every skipped line (blank or
    malformed) before it; `params` are the SELECT's bound parameters.
    """

    select: str
    params: Mapping[str, Any] = field(default_factory=dict)
    first_line: int = 1
    amount_position: int | None = None  # the amount's field in a CSV row (control sums)
    skipped: tuple[int, ...] = ()  # lines known before reading that hold no row
    typed: frozenset[str] = frozenset()  # columns already in their schema type


@dataclass(frozen=True)
class MalformedRow:
    """A row the reader could not split into the file's fields (quarantined as malformed)."""

    line: int
    text: str
    reason: str
    amount: str | None = None  # the amount field, where the row still has one (control sum)


def physical_line(line: int, skipped: Iterable[int]) -> int:
    """The physical line of a row numbered `line` when the `skipped` lines are not counted."""
    for skip in sorted(skipped):
        if skip <= line:
            line += 1
    return line
