"""A store opened for reading at the current schema.

Readers attach the store read-only and briefly. A store written by an older recon lacks
what the readers ask for (users, versions, attachments), so it is first migrated in one short
write under the lock, exactly as the next run or analyst command would (migrate.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from recon.db import connect
from recon.sql import load_sql
from recon.store.lock import attached_store


@contextmanager
def readable_store(
    store_path: str | Path, *, wait_seconds: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh connection with the store attached read-only (as `recon_store`) at the
    current schema, closed when the block ends."""
    from recon.store.migrate import CURRENT_VERSION
    from recon.store.session import store_change

    con = connect()
    try:
        with attached_store(con, store_path, write=False, wait_seconds=wait_seconds):
            if _version(con) == CURRENT_VERSION:
                yield con
                return
        # older (migrated here) or newer (refused here, with the reason): one short write
        with store_change(store_path, owner="migrate before reading", wait_seconds=wait_seconds):
            pass
        with attached_store(con, store_path, write=False, wait_seconds=wait_seconds):
            yield con
    finally:
        con.close()


def _version(con: duckdb.DuckDBPyConnection) -> int | None:
    rows = con.execute(load_sql("recon.store", "audit_version")).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else None
