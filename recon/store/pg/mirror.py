"""A PostgreSQL store read into DuckDB, for the store's DuckDB SQL that reads it whole.

`recon audit verify` recomputes every link of the audit chain with the DuckDB SQL and macros
that wrote them (audit_macros.sql); run on a copy of the PostgreSQL tables in an in-memory
DuckDB catalog attached as `recon_store`, the records are the very bytes the chain hashed,
whichever backend wrote them. The catalog is made by the DuckDB store's own schema scripts,
so its column types are the DuckDB store's; the rows come over in one REPEATABLE READ
snapshot, so the tables agree with each other while writers carry on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb
import psycopg

from recon.db import connect
from recon.sql import load_sql, quote_ident, run_statements
from recon.store.location import PgLocation
from recon.store.lock import STORE_ALIAS
from recon.store.pg.connection import SCHEMA, check_current, pg_connect
from recon.store.pg.transfer import pg_to_duckdb

if TYPE_CHECKING:
    from recon.store.audit import PublishedHead, Verdict


def store_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[tuple[str, str]]]]:
    """The tables of the store attached to `con`, each with its (column, DuckDB type) list,
    in a fixed order (by name; columns in their order)."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_catalog = $db ORDER BY table_name, ordinal_position",
        {"db": STORE_ALIAS},
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return sorted(tables.items())


def create_empty_store(con: duckdb.DuckDBPyConnection) -> None:
    """Attach an in-memory DuckDB store at the current schema to `con` as `recon_store`."""
    from recon.store.migrate import migrate

    con.execute(f"ATTACH ':memory:' AS {STORE_ALIAS}")
    run_statements(con, load_sql("recon.store", "schema"))
    migrate(con, "(in memory)")


def mirror_into(con: duckdb.DuckDBPyConnection, conn: psycopg.Connection) -> None:
    """Attach to `con`, as `recon_store`, an in-memory copy of the PostgreSQL store `conn`
    reads (its schema checked by the caller), in one REPEATABLE READ snapshot."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        read_store(con, conn)


def read_store(con: duckdb.DuckDBPyConnection, conn: psycopg.Connection) -> None:
    """Attach to `con`, as `recon_store`, a copy of every table `conn` sees in its current
    transaction (a writer's, under the write lock, reads the store it will change)."""
    create_empty_store(con)
    for table, columns in store_tables(con):
        con.execute(f"DELETE FROM {STORE_ALIAS}.{quote_ident(table)}")
        pg_to_duckdb(
            conn, f"{SCHEMA}.{quote_ident(table)}", con,
            f"{STORE_ALIAS}.{quote_ident(table)}", columns,
        )  # fmt: skip


def verify_pg(location: PgLocation, published: Sequence[PublishedHead] = ()) -> Verdict:
    """`audit.verify` of the PostgreSQL store at `location`, on a mirror of one snapshot."""
    from recon.store.audit import verify

    with pg_connect(location, owner="audit verify") as conn:
        check_current(conn, location)
        con = connect()
        try:
            mirror_into(con, conn)
            return verify(con, published)
        finally:
            con.close()
