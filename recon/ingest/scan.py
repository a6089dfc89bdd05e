"""Streaming passes over a file: its SHA-256 and line count (always), its blank lines (when
needed).

DuckDB's CSV reader skips blank lines without a trace, so the line numbers of the rows after
one would drift; knowing where they are keeps every reported line the physical line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 22  # 4 MiB
_BLANK = (b"\n\n", b"\n\r\n")  # a newline directly followed by an empty (or CR-only) line


@dataclass(frozen=True)
class FileScan:
    sha256: str
    lines: int  # physical lines; a last line without a newline counts too
    bare_cr: bool = False  # a carriage return not followed by a newline (DuckDB may split there)
    mixed_ends: bool = False  # some lines end in CRLF, others in LF (DuckDB miscounts lines)

    @property
    def uniform(self) -> bool:
        """Every line ends alike (all LF or all CRLF) and no CR stands alone."""
        return not (self.bare_cr or self.mixed_ends)


def scan_file(path: Path) -> FileScan:
    """SHA-256 of the file's bytes and its number of lines, in one streaming pass.

    The line count tells whether DuckDB's rows and rejects account for every line of a CSV;
    only when they do not (or a bare carriage return may have split a line) is the file
    searched for blank lines (`blank_lines`) or read line by line (`csv_lines.resync`).
    """
    digest = hashlib.sha256()
    newlines = returns = crlf = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    lines = newlines + (0 if last == b"\n" else 1)
    return FileScan(digest.hexdigest(), lines, returns > crlf, 0 < crlf < newlines)


def blank_lines(path: Path) -> tuple[int, ...]:
    """The 1-based numbers of the empty lines of a text file (a lone CR counts as empty).

    Searching is done with bytes.find/count (C speed), chunk by chunk.
    """
    found: list[int] = []
    # the file starts as if after a newline ("line 0"), so an empty first line is found too
    newlines = 1  # newlines seen so far, that virtual one included
    tail = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            window = tail + chunk
            found.extend(_blank_lines(window, len(tail), newlines - tail.count(b"\n")))
            newlines += chunk.count(b"\n")
            tail = window[-2:]
    return tuple(found)


def _blank_lines(window: bytes, carried: int, newlines_before: int) -> list[int]:
    """Line numbers of the empty lines found in `window`.

    The first `carried` bytes repeat the end of the previous window, so a match lying wholly
    inside them was reported already. `newlines_before` counts the newlines before `window`
    (the virtual one before the file included): the line after the n-th newline is line n.
    """
    starts = sorted(
        pos
        for pattern in _BLANK
        for pos in _find_all(window, pattern)
        if pos + len(pattern) > carried
    )
    found, counted, position = [], newlines_before, 0
    for pos in starts:
        counted += window.count(b"\n", position, pos + 1)
        position = pos + 1
        found.append(counted)  # the line after the newline at `pos`
    return found


def _find_all(data: bytes, pattern: bytes) -> list[int]:
    positions, start = [], 0
    while (pos := data.find(pattern, start)) != -1:
        positions.append(pos)
        start = pos + 1
    return positions
