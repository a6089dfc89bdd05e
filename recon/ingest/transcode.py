"""Text extracts in another encoding (GB18030, GBK, ...) made readable for DuckDB.

DuckDB reads only UTF-8 (and UTF-16/Latin-1), so other encodings are transcoded to a
temporary UTF-8 file first, streaming, so a multi-gigabyte extract never sits in memory.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from recon.errors import UnreadableFileError

CHUNK = 1 << 22  # 4 MiB
_UTF8 = {"utf-8", "utf-8-sig", "ascii"}


def needs_transcoding(encoding: str) -> bool:
    """Whether DuckDB can read text in `encoding` as it is (UTF-8 with or without BOM)."""
    return codecs.lookup(encoding).name not in _UTF8


def utf8_copy(path: Path, encoding: str, directory: Path) -> Path:
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
                raise UnreadableFileError(
                    path,
                    f"not valid {encoding} (byte {chunk[err.start : err.start + 1]!r});"
                    " check the `encoding` setting of this source",
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
