"""A CSV file whose records do not line up with its physical lines, rewritten so they do.

Only run when DuckDB's rows and rejects do not account for every line of a file (a record
spans lines, a line is blank, a bare carriage return) or DuckDB could not read it at all; a
clean file never comes here. One pass over the lines (the header already read):

- a blank line (empty or a lone CR) holds no record;
- a line that is a whole record (every field plain, or quoted with `""` for a quote; a quote
  inside a plain field is text, as DuckDB reads it) is one record;
- a line that ends inside a quoted field starts a record that may go on over the next lines:
  a quoted field may hold a newline. It is one record only when it closes within
  MAX_RECORD_LINES lines, is well-formed and has the header's number of fields;
- anything else is damaged: that one line is set apart (quarantined as a malformed row with
  its physical line), and reading starts again on the next line, so an unterminated quote
  costs its own line, never the lines it would have swallowed.

The records are written to a copy (newlines as LF, no blank or damaged lines) for DuckDB to
read; its record n (header = 1) is the n-th physical line not `skipped`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from recon.ingest.raw import MalformedRow

MAX_RECORD_LINES = 10  # a quoted field with a few newlines is legal; more is damage
MAX_LINE_BYTES = 2_000_000  # below DuckDB's max_line_size (2 MiB) so it never cuts one
MAX_VALUE_CHARS = 100_000  # of a damaged line kept as the quarantined value
BLOCK = 1 << 20  # read at a time; below MAX_LINE_BYTES, so a plain block has no line too long

STRAY_QUOTE = "malformed row: unterminated or stray quote"
STRAY_CR = "malformed row: stray carriage return"
TOO_LONG = "malformed row: line too long"


@dataclass(frozen=True)
class Layout:
    """Where the records of a file are, after `resync` wrote them to a copy."""

    records: int  # records in the copy (header excluded)
    skipped: tuple[int, ...]  # sorted physical lines starting no record: blank, inside one, damaged
    damaged: tuple[MalformedRow, ...]  # lines set apart, in line order
    continued: int  # lines inside a record after its first (legal quoted newlines)


class _Grammar:
    """RFC 4180 records with one delimiter, as bytes regexes (no backtracking blow-up: no
    two alternatives can match the same text)."""

    def __init__(self, delimiter: str) -> None:
        d = re.escape(delimiter.encode())
        self.delimiter = delimiter.encode()
        quoted = rb'"[^"]*(?:""[^"]*)*"'
        plain = rb'(?:[^"' + d + rb"\r\n][^" + d + rb"\r\n]*)?"
        field = rb"(?:" + quoted + rb"|" + plain + rb")"
        self.record = re.compile(field + rb"(?:" + d + field + rb")*")
        # ends inside a quoted field: the record goes on after the newline
        self.open = re.compile(rb"(?:" + field + d + rb')*"[^"]*(?:""[^"]*)*')
        self.quoted = re.compile(rb"(?:^|(?<=" + d + rb"))" + quoted)

    def fields(self, record: bytes) -> int:
        """The number of fields of a well-formed record."""
        return self.quoted.sub(b"", record).count(self.delimiter) + 1


def resync(
    path: Path,
    target: Path,
    *,
    delimiter: str,
    fields: int,
    amount_position: int | None = None,
) -> Layout:
    """Copy the records of `path` (UTF-8 CSV with a header) to `target`; see the module."""
    grammar = _Grammar(delimiter)
    skipped: list[int] = []
    damaged: list[MalformedRow] = []
    records = continued = 0
    with open(path, "rb") as src, open(target, "wb") as dst:
        dst.write(_body(src.readline()) + b"\n")
        lines = _Lookahead(_numbered(src))
        for number, line in lines:
            if isinstance(line, _Plain):
                dst.write(line.data)
                records += line.lines
                continue
            body = _body(line)
            if not body:
                skipped.append(number)
                continue
            if len(body) > MAX_LINE_BYTES:
                skipped.append(number)
                damaged.append(_damaged(number, body, TOO_LONG, grammar, fields, amount_position))
                continue
            if (b'"' not in body and b"\r" not in body) or grammar.record.fullmatch(body):
                dst.write(body + b"\n")
                records += 1
                continue
            record = _spanning(grammar, number, line, lines, fields) if b'"' in body else None
            if record is None:
                skipped.append(number)
                reason = STRAY_QUOTE if b'"' in body else STRAY_CR
                damaged.append(_damaged(number, body, reason, grammar, fields, amount_position))
                continue
            text, span = record
            dst.write(text + b"\n")
            records += 1
            continued += span - 1
            skipped.extend(range(number + 1, number + span))
    return Layout(records, tuple(skipped), tuple(damaged), continued)


def _spanning(
    grammar: _Grammar, number: int, line: bytes, lines: _Lookahead, fields: int
) -> tuple[bytes, int] | None:
    """The record starting with `line` that goes on over the next lines, and its number of
    lines; None (the lines looked at are given back) when it is not a plausible one."""
    if not grammar.open.fullmatch(_body(line)):
        return None
    taken: list[_Item] = []
    parts = [line]
    while len(parts) < MAX_RECORD_LINES:
        following = lines.take()
        if following is None:
            break
        taken.append(following)
        part = following[1]
        if isinstance(part, _Plain):  # no quote in its first lines: cannot close
            break
        parts.append(part)
        text = _no_cr(b"\n".join(parts))
        if len(text) > MAX_LINE_BYTES:
            break
        if grammar.record.fullmatch(text):
            if grammar.fields(text) == fields:
                return text, len(parts)
            break
        if not grammar.open.fullmatch(text):
            break
    lines.give_back(taken)
    return None


def _damaged(
    number: int,
    body: bytes,
    reason: str,
    grammar: _Grammar,
    fields: int,
    amount_position: int | None,
) -> MalformedRow:
    """A damaged line as a malformed row; its amount (control sums) is taken by splitting at
    every delimiter, quotes dropped, when that gives the header's number of fields."""
    text = body.decode("utf-8", errors="replace")
    amount = None
    parts = body.split(grammar.delimiter)
    if amount_position is not None and len(parts) == fields:
        amount = parts[amount_position].replace(b'"', b"").decode("utf-8", errors="replace")
    return MalformedRow(line=number, text=text[:MAX_VALUE_CHARS], reason=reason, amount=amount)


def _body(line: bytes) -> bytes:
    """A line without its line end (LF, CRLF)."""
    return _no_cr(line[:-1] if line.endswith(b"\n") else line)


def _no_cr(text: bytes) -> bytes:
    return text[:-1] if text.endswith(b"\r") else text


@dataclass(frozen=True)
class _Plain:
    """A run of whole lines that are each a record as they stand (no quote, no bare CR, no
    blank line, none too long), at least MAX_RECORD_LINES of them, already with LF ends."""

    data: bytes
    lines: int


def _numbered(src: BinaryIO) -> Iterator[tuple[int, bytes | _Plain]]:
    """The lines after the header with their physical line numbers (header = 1); runs of
    plain lines come as one _Plain (so an undamaged stretch costs no per-line work)."""
    number, carry = 2, b""
    while chunk := src.read(BLOCK):
        data = carry + chunk
        cut = data.rfind(b"\n") + 1
        block, carry = data[:cut], data[cut:]
        plain = _plain(block)
        if plain is not None:
            yield number, plain
            number += plain.lines
            continue
        for line in block.split(b"\n")[:-1]:
            yield number, line
            number += 1
    if carry:
        yield number, carry


def _plain(block: bytes) -> _Plain | None:
    lines = block.count(b"\n")
    if (
        lines < MAX_RECORD_LINES
        or len(block) > MAX_LINE_BYTES
        or b'"' in block
        or b"\n\n" in block
        or b"\n\r\n" in block
        or block.startswith((b"\n", b"\r\n"))
    ):
        return None
    returns = block.count(b"\r")
    if returns and returns != block.count(b"\r\n"):
        return None
    return _Plain(block.replace(b"\r\n", b"\n") if returns else block, lines)


_Item = tuple[int, bytes | _Plain]


class _Lookahead:
    """An iterator of numbered lines that takes back lines a failed record looked at."""

    def __init__(self, lines: Iterator[_Item]) -> None:
        self._lines = lines
        self._back: deque[_Item] = deque()

    def __iter__(self) -> Iterator[_Item]:
        return self

    def __next__(self) -> _Item:
        return self._back.popleft() if self._back else next(self._lines)

    def take(self) -> _Item | None:
        return next(self, None)

    def give_back(self, taken: list[_Item]) -> None:
        self._back.extendleft(reversed(taken))
