"""DuckDB connections configured the same way everywhere recon opens one."""

from __future__ import annotations

from pathlib import Path

import duckdb

from recon.errors import ConfigError


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
    try:
        if memory_limit:
            con.execute("SET memory_limit = $value", {"value": memory_limit})
        if threads:
            con.execute("SET threads = $value", {"value": int(threads)})
    except duckdb.Error as err:
        con.close()
        raise ConfigError(f"memory_limit {memory_limit!r} or threads {threads!r}: {err}") from err
    if temp_directory:
        con.execute("SET temp_directory = $dir", {"dir": str(temp_directory)})
    return con
