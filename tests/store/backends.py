"""The two backends the store tests run on: a DuckDB file and a PostgreSQL database.

The `store` fixture (conftest.py) yields a path for the one and a `postgresql://` URL (a new
database on the session's throwaway server, migrated) for the other; the tests are the same.
`read_store` opens either for the tests' own reads, with the store as the default catalog.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import psycopg
import pytest

from recon.db import connect
from recon.store.location import looks_like_url, pg_location
from recon.store.pg.connection import pg_connect
from recon.store.pg.copy import copy_store
from recon.store.pg.migrate import migrate
from recon.store.pg.mirror import mirror_into

BACKENDS = ("duckdb", "postgresql")


def new_pg_store(server) -> str:
    """A new database on `server` holding an empty store at the current schema; its URL."""
    # a random name: this module is imported under two names (tests.store.backends from
    # tests/web, .backends from tests/store), so a counter here would repeat its names
    url = server.create_database(f"tests_store_{secrets.token_hex(6)}")
    migrate(pg_location(url))
    return url


def pg_copy_of(source: Path, server) -> str:
    """A new PostgreSQL store on `server` holding a copy of the DuckDB store `source`
    (`recon store copy`, its audit chain verified); its URL."""
    url = new_pg_store(server)
    copy_store(source, pg_location(url))
    return url


def is_pg(store: object) -> bool:
    return looks_like_url(store)


def only_duckdb(store: object, why: str) -> None:
    """Skip this test's PostgreSQL case: it is about the DuckDB file itself (`why`)."""
    if is_pg(store):
        pytest.skip(f"DuckDB file only: {why}")


@contextmanager
def read_store(store: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection reading the store as its default catalog (a DuckDB file read-only, or a
    snapshot of a PostgreSQL store), closed when the block ends."""
    if not is_pg(store):
        con = duckdb.connect(str(store), read_only=True)
        try:
            yield con
        finally:
            con.close()
        return
    con = connect()
    try:
        with pg_connect(pg_location(str(store))) as conn:
            mirror_into(con, conn)
        con.execute("USE recon_store")
        yield con
    finally:
        con.close()


def untouched(store: str | Path) -> bool:
    """Whether nothing was ever written to the store: no DuckDB file, or a PostgreSQL store
    whose tables (but its schema version) are empty."""
    if not is_pg(store):
        return not Path(store).exists()
    with read_store(store) as con:
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " AND table_name <> 'store_info'"
        ).fetchall()
        return not any(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in tables)


def tamper(store: str | Path, *statements: str) -> None:
    """Change the store behind recon's back, as an insider could: a DuckDB client on the
    file, or PostgreSQL's superuser with the append-only trigger switched off."""
    if is_pg(store):
        with psycopg.connect(str(store), autocommit=True) as conn:
            conn.execute("SET search_path = recon")
            conn.execute("SET session_replication_role = replica")  # no triggers
            for sql in statements:
                conn.execute(sql)
        return
    con = duckdb.connect(str(store))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
