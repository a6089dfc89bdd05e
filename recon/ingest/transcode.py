"""Text extracts in another encoding (GB18030, GBK, ...) made readable for DuckDB.

DuckDB reads only UTF-8 (and UTF-16/Latin-1), so other encodings are transcoded to a
temporary UTF-8 file first, streaming, so a multi-gigabyte extract never sits in memory.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from recon.errors import UnreadableFileError

CHUNK = 1 << 22  # 4 MiB
_UTF8 = {"utf-8", "utf-8-sig", "ascii"}
# what a file that is not in its configured encoding is tried as, in this order
CANDIDATES = ("utf-8", "gb18030", "utf-16", "cp1252", "latin-1")
SAMPLE = 1 << 16


def needs_transcoding(encoding: str) -> bool:
    """Whether DuckDB can read text in `encoding` as it is (UTF-8 with or without BOM)."""
    return codecs.lookup(encoding).name not in _UTF8


def utf8_copy(path: Path, encoding: str, directory: Path, source: str = "") -> Path:
    """A UTF-8 copy of `path` in `directory`, decoded from `encoding` (a BOM is dropped).

    Bytes that are not valid in `encoding` stop the run with the file and line: a wrong
    `encoding` setting should be fixed, not guessed around.
    """
    target = directory / f"{path.name}.utf8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    first = True
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as err:
                bad = line + chunk.count(b"\n", 0, max(err.start, 0))
                start = chunk.rfind(b"\n", 0, max(err.start, 0)) + 1
                hint = _hint(chunk[start : start + SAMPLE], source, _plain, skip=encoding)
                what = f"byte {chunk[err.start : err.start + 1]!r}" if chunk else "cut at the end"
                raise UnreadableFileError(
                    path,
                    f"not valid {encoding} ({what});"
                    f" check the `encoding` setting of this source{hint}",
                    line=bad,
                ) from None
            if first and text:
                text = text.removeprefix("\ufeff")
                first = False
            dst.write(text)
            line += chunk.count(b"\n")
            if not chunk:
                break
    return target


def encoding_hint(path: Path, source: str, sensible: Callable[[str], bool]) -> str:
    """ "; set encoding = ..." naming the first candidate encoding in which the start of
    `path` decodes and its first line is `sensible` (a header), or "" when none does."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE)
    return _hint(sample, source, sensible, skip="utf-8")


def line_hint(path: Path, line: int, source: str) -> str:
    """The same for a UTF-8 file with undecodable rows: tried on the bytes of `line`."""
    with open(path, "rb") as handle:
        for number, text in enumerate(handle, start=1):
            if number == line:
                return _hint(text[:SAMPLE], source, _plain, skip="utf-8")
    return ""


def _hint(sample: bytes, source: str, sensible: Callable[[str], bool], *, skip: str) -> str:
    skipped = codecs.lookup(skip).name
    for candidate in CANDIDATES:
        if codecs.lookup(candidate).name == skipped:
            continue
        if candidate == "utf-16" and b"\x00" not in sample:
            continue  # any even run of bytes is UTF-16 text; only NULs make it likely
        try:
            text = codecs.getincrementaldecoder(candidate)(errors="strict").decode(sample)
        except UnicodeError:  # UTF-16 without a BOM raises the base class
            continue
        if sensible(text.removeprefix("\ufeff").split("\n", 1)[0]):
            where = f" ([sources.{source}] encoding)" if source else ""
            return (
                f'; the bytes read as {candidate}: set encoding = "{candidate}" in'
                f" recon.toml{where}"
            )
    return ""


def _plain(text: str) -> bool:
    """No control characters other than tab and CR (C1 controls are mis-decoded bytes)."""
    return not any(
        (ord(c) < 32 and c not in "\t\r") or 0x7F <= ord(c) < 0xA0 or c == "\ufffd" for c in text
    )
