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
import pyarrow as pa

from recon.db import connect
from recon.sql import load_sql, quote_ident, run_statements
from recon.store.location import PgLocation
from recon.store.lock import STORE_ALIAS
from recon.store.pg.connection import SCHEMA, check_current, pg_connect

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
    reads (its schema checked by the caller)."""
    create_empty_store(con)
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for table, columns in store_tables(con):
            select = ", ".join(_as_text(name, kind) for name, kind in columns)
            rows = conn.execute(f"SELECT {select} FROM {SCHEMA}.{quote_ident(table)}").fetchall()
            con.execute(f"DELETE FROM {STORE_ALIAS}.{quote_ident(table)}")
            if not rows:
                continue
            names = [name for name, _ in columns]
            batch = pa.table({name: pa.array([r[i] for r in rows]) for i, name in enumerate(names)})
            con.register("_pg_mirror_rows", batch)
            try:
                con.execute(
                    f"INSERT INTO {STORE_ALIAS}.{quote_ident(table)} BY NAME"
                    " SELECT * FROM _pg_mirror_rows"
                )
            finally:
                con.unregister("_pg_mirror_rows")


def _as_text(name: str, kind: str) -> str:
    """A column as selected from PostgreSQL: JSON as its text (psycopg would parse it, and
    the chain hashes the text as written)."""
    quoted = quote_ident(name)
    return f"{quoted}::text AS {quoted}" if kind == "JSON" else quoted


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
