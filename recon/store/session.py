"""A store opened for one change: attached under the lock, schema ensured, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from recon.db import connect
from recon.sql import load_sql, run_statements
from recon.store.lock import attached_store
from recon.store.migrate import migrate


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the block's writes together, or none of them (also on a kill: DuckDB's WAL)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def writable_store(
    con: duckdb.DuckDBPyConnection,
    store_path: str | Path,
    *,
    owner: str,
    wait_seconds: float,
    create: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """`con` with the store attached for writing and its tables created if missing."""
    with attached_store(
        con, store_path, write=True, create=create, wait_seconds=wait_seconds, owner=owner
    ):
        run_statements(con, load_sql("recon.store", "schema"))
        migrate(con, str(store_path))
        yield con


@contextmanager
def store_change(
    store_path: str | Path, *, owner: str, wait_seconds: float, create: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh connection holding the store for one transaction (analyst actions, failed runs)."""
    con = connect()
    try:
        with (
            writable_store(con, store_path, owner=owner, wait_seconds=wait_seconds, create=create),
            transaction(con),
        ):
            yield con
    finally:
        con.close()
