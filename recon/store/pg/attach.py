"""A PostgreSQL store attached to a DuckDB connection as `recon_store`, as a DuckDB file is.

Every reader and writer of the store (runs, analysts' commands, users, proposals, the web
app) takes the store through `lock.attached_store` and speaks the store's DuckDB SQL to
`recon_store`. For a PostgreSQL store that catalog is an in-memory mirror (mirror.py): a
reader's is one REPEATABLE READ snapshot and takes no lock (readers never wait); a writer's
is read in its own transaction after it took the store's write lock, so it is the store as
it is, and when the block ends well what changed is written back (write_back.py) in that
same transaction, which then commits. One path through the code for both backends; the
store's SQL, and the audit chain's records, are the DuckDB store's byte for byte.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from recon.store.location import PgLocation
from recon.store.lock import STORE_ALIAS
from recon.store.pg.connection import check_current, lock_for_writing, pg_connect
from recon.store.pg.mirror import mirror_into, read_store
from recon.store.pg.write_back import BEFORE, keep_before, write_back

log = logging.getLogger("recon.store")


@contextmanager
def attached_pg(
    con: duckdb.DuckDBPyConnection,
    location: PgLocation,
    *,
    write: bool,
    wait_seconds: float,
    owner: str,
) -> Iterator[None]:
    """`recon_store` in `con` for the block: the PostgreSQL store at `location`, read (or,
    with `write`, held and written back in one PostgreSQL transaction that commits when
    the block ends without an error)."""
    with pg_connect(location, owner=owner) as conn:
        check_current(conn, location)
        if not write:
            try:
                mirror_into(con, conn)
                yield
            finally:
                _detach(con, STORE_ALIAS)
            return
        with conn.transaction():
            lock_for_writing(conn, location, wait_seconds)
            try:
                started = time.perf_counter()
                read_store(con, conn)  # READ COMMITTED, after the lock: the store as it is
                keep_before(con)
                read = time.perf_counter() - started
                yield
                started = time.perf_counter()
                changed = write_back(con, conn)
                log.debug(
                    "PostgreSQL store %s: read in %.3fs, wrote %s in %.3fs", location, read,
                    changed, time.perf_counter() - started,
                )  # fmt: skip
            finally:
                _detach(con, BEFORE)
                _detach(con, STORE_ALIAS)


def _detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    try:
        con.execute(f"DETACH DATABASE IF EXISTS {alias}")
    except duckdb.Error:
        pass  # a block that failed mid-transaction: the error it raised stands
