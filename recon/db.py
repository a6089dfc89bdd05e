"""DuckDB connections configured the same way everywhere recon opens one."""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect(
    path: str | Path = ":memory:",
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | Path | None = None,
    read_only: bool = False,
) -> duckdb.DuckDBPyConnection:
    """A connection in UTC with no network extension installs.

    All timestamps are TIMESTAMPTZ and rendered in UTC; the configured business time zone is
    applied only when reading offset-less timestamps and when deciding the nightly cutoff.
    `memory_limit` bounds DuckDB's own memory; beyond it, DuckDB spills to `temp_directory`.
    """
    con = duckdb.connect(
        str(path), read_only=read_only, config={"autoinstall_known_extensions": False}
    )
    con.execute("SET TimeZone = 'UTC'")
    if memory_limit:
        con.execute(f"SET memory_limit = '{_checked_size(memory_limit)}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if temp_directory:
        con.execute("SET temp_directory = $dir", {"dir": str(temp_directory)})
    return con


def _checked_size(size: str) -> str:
    """Memory sizes are interpolated into SET (which takes no parameters), so allow only e.g. `2GB`."""
    text = size.strip().upper().replace(" ", "")
    number = text.rstrip("KMGTIB")
    unit = text[len(number) :]
    if not number.replace(".", "", 1).isdigit() or unit not in {
        "KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB", "B",
    }:
        raise ValueError(f"not a memory size: {size!r} (use e.g. '2GB')")
    return text
