"""What a change did to the store's mirror, written to PostgreSQL in the writer's transaction.

A writer on a PostgreSQL store runs the DuckDB store's own code on an in-memory copy of the
store read under the write lock (attach.py), so runs, analysts' actions, users and proposals
take one path whichever backend holds the rows. What that code changed is then found table
by table against the copy as it was read (`recon_before`) and applied to PostgreSQL: rows
gone are deleted, rows changed are updated, new rows COPYed in, all by primary key. The few
tables without one (a run's files and counts, an exception's evidence rows) are replaced by
group: every row of a group (a run, an exception) whose rows changed is deleted and the new
ones inserted, which is exactly what a run does to an exception's evidence.
"""

from __future__ import annotations

import duckdb
import psycopg

from recon.errors import StoreError
from recon.sql import load_sql, quote_ident
from recon.store.lock import STORE_ALIAS
from recon.store.pg.connection import SCHEMA
from recon.store.pg.mirror import store_tables
from recon.store.pg.transfer import Columns, duckdb_to_pg

BEFORE = "recon_before"  # the mirror as read, beside `recon_store` as changed

# tables without a primary key -> the columns of the group a change replaces whole
GROUPS: dict[str, tuple[str, ...]] = {
    "evidence_rows": ("exception_id",),
    "run_files": ("run_id",),
    "run_counts": ("run_id",),
}


def keep_before(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the mirror as read into `recon_before`, the reference `write_back` compares to."""
    con.execute(f"ATTACH ':memory:' AS {BEFORE}")
    for table, _ in store_tables(con):
        name = quote_ident(table)
        con.execute(f"CREATE TABLE {BEFORE}.{name} AS SELECT * FROM {STORE_ALIAS}.{name}")


def write_back(con: duckdb.DuckDBPyConnection, conn: psycopg.Connection) -> dict[str, int]:
    """Apply to PostgreSQL (in `conn`'s open transaction) what changed in the mirror since
    `keep_before`; the rows changed per table (only tables that changed)."""
    keys = _primary_keys(con)
    changed: dict[str, int] = {}
    for table, columns in store_tables(con):
        if table in keys:
            count = _by_key(con, conn, table, columns, keys[table])
        elif table in GROUPS:
            count = _by_group(con, conn, table, columns, GROUPS[table])
        else:
            raise StoreError(
                f"store table {table} has no primary key and no group to replace: recon cannot"
                " write its changes to PostgreSQL (a bug: name its group in write_back.GROUPS)"
            )
        if count:
            changed[table] = count
    return changed


def _primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(load_sql("recon.store.pg", "primary_keys"), {"db": STORE_ALIAS}).fetchall()
    return {table: list(columns) for table, columns in rows}


def _by_key(
    con: duckdb.DuckDBPyConnection, conn: psycopg.Connection, table: str, columns: Columns,
    key: list[str],
) -> int:  # fmt: skip
    name = quote_ident(table)
    match = " AND ".join(f"a.{quote_ident(k)} = b.{quote_ident(k)}" for k in key)
    others = [c for c, _ in columns if c not in key]
    differs = " OR ".join(f"a.{quote_ident(c)} IS DISTINCT FROM b.{quote_ident(c)}" for c in others)
    after, before = f"{STORE_ALIAS}.{name}", f"{BEFORE}.{name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_added AS SELECT a.* FROM {after} AS a"
        f" WHERE NOT EXISTS (SELECT 1 FROM {before} AS b WHERE {match})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_gone AS SELECT b.* FROM {before} AS b"
        f" WHERE NOT EXISTS (SELECT 1 FROM {after} AS a WHERE {match})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_changed AS SELECT a.* FROM {after} AS a"
        f" JOIN {before} AS b ON {match} WHERE {differs or 'false'}"
    )
    added, gone, updated = (_count(con, t) for t in ("_wb_added", "_wb_gone", "_wb_changed"))
    target = f"{SCHEMA}.{name}"
    key_columns = [(c, kind) for c, kind in columns if c in key]
    pg_match = " AND ".join(f"t.{quote_ident(k)} = s.{quote_ident(k)}" for k in key)
    if gone:
        _stage(con, conn, table, "_wb_gone", key_columns)
        conn.execute(f"DELETE FROM {target} AS t USING _wb_stage AS s WHERE {pg_match}")
    if updated:
        _stage(con, conn, table, "_wb_changed", columns)
        sets = ", ".join(f"{quote_ident(c)} = s.{quote_ident(c)}" for c in others)
        conn.execute(f"UPDATE {target} AS t SET {sets} FROM _wb_stage AS s WHERE {pg_match}")
    if added:
        _insert(con, conn, table, columns)
    return added + gone + updated


def _by_group(
    con: duckdb.DuckDBPyConnection, conn: psycopg.Connection, table: str, columns: Columns,
    group: tuple[str, ...],
) -> int:  # fmt: skip
    name = quote_ident(table)
    after, before = f"{STORE_ALIAS}.{name}", f"{BEFORE}.{name}"
    cols = ", ".join(quote_ident(g) for g in group)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_groups AS SELECT DISTINCT {cols} FROM ("
        f"(SELECT * FROM {after} EXCEPT ALL SELECT * FROM {before}) UNION ALL"
        f" (SELECT * FROM {before} EXCEPT ALL SELECT * FROM {after}))"
    )
    if not _count(con, "_wb_groups"):
        return 0
    match = " AND ".join(
        f"a.{quote_ident(g)} IS NOT DISTINCT FROM g.{quote_ident(g)}" for g in group
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_added AS SELECT a.* FROM {after} AS a"
        f" WHERE EXISTS (SELECT 1 FROM _wb_groups AS g WHERE {match})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _wb_gone AS SELECT a.* FROM {before} AS a"
        f" WHERE EXISTS (SELECT 1 FROM _wb_groups AS g WHERE {match})"
    )
    target = f"{SCHEMA}.{name}"
    gone = _count(con, "_wb_gone")
    if gone:
        group_columns = [(c, kind) for c, kind in columns if c in group]
        _stage(con, conn, table, "_wb_groups", group_columns)
        pg_match = " AND ".join(
            f"t.{quote_ident(g)} IS NOT DISTINCT FROM s.{quote_ident(g)}" for g in group
        )
        conn.execute(f"DELETE FROM {target} AS t USING _wb_stage AS s WHERE {pg_match}")
    added = _count(con, "_wb_added")
    if added:
        _insert(con, conn, table, columns)
    return added + gone


def _insert(
    con: duckdb.DuckDBPyConnection, conn: psycopg.Connection, table: str, columns: Columns
) -> None:
    """The rows of `_wb_added` into `table`: by COPY, or through a staged INSERT where a
    row-level policy guards the table (PostgreSQL refuses COPY FROM there to all but its
    owner: store_info, whose approval-limit row recon_web may write, roles.sql)."""
    target = f"{SCHEMA}.{quote_ident(table)}"
    guarded = conn.execute(
        "SELECT relrowsecurity FROM pg_class WHERE oid = %s::regclass", (target,)
    ).fetchone()
    if not (guarded and guarded[0]):
        duckdb_to_pg(con, "_wb_added", conn, target, columns)
        return
    _stage(con, conn, table, "_wb_added", columns)
    names = ", ".join(quote_ident(c) for c, _ in columns)
    conn.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM _wb_stage")


def _stage(
    con: duckdb.DuckDBPyConnection, conn: psycopg.Connection, table: str, source: str,
    columns: Columns,
) -> None:  # fmt: skip
    """PostgreSQL temp table `_wb_stage` with `columns` of `table` (their PostgreSQL types),
    holding the rows of DuckDB table `source`; dropped at COMMIT."""
    names = ", ".join(quote_ident(c) for c, _ in columns)
    conn.execute("DROP TABLE IF EXISTS pg_temp._wb_stage")
    conn.execute(
        f"CREATE TEMP TABLE _wb_stage ON COMMIT DROP AS SELECT {names}"
        f" FROM {SCHEMA}.{quote_ident(table)} WITH NO DATA"
    )
    duckdb_to_pg(con, source, conn, "_wb_stage", columns)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
