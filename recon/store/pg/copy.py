"""`recon store copy --from recon.duckdb --to postgresql://...`: move a store, history included.

Every row of every table goes over (runs, exceptions, events with their links, sightings,
evidence, users, attachments, suggestions, proposals, alerts), by COPY, in ONE transaction
of the target: a copy that fails leaves the target as it was. The target must be a store
with no rows yet (`recon store migrate` creates one), so a copy never merges two histories.
After the commit the target is read back and its audit chain verified: the copy is done only
if the chain is intact and its heads are the source's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from recon.db import connect
from recon.errors import StoreError
from recon.sql import quote_ident
from recon.store import audit
from recon.store.location import PgLocation
from recon.store.pg.connection import SCHEMA, check_current, lock_for_writing, pg_connect
from recon.store.pg.migrate import migrate
from recon.store.pg.mirror import mirror_into, store_tables
from recon.store.reading import readable_store

BATCH_ROWS = 10_000


@dataclass(frozen=True)
class Copied:
    """What a copy moved (rows per table) and the verdict on the target's audit chain."""

    rows: dict[str, int]
    verdict: audit.Verdict


def copy_store(source: str | Path, target: PgLocation, *, wait_seconds: float = 60.0) -> Copied:
    """Copy the DuckDB store `source` into the PostgreSQL store `target` (created if the
    database is empty) and verify the copy; StoreError when it cannot or did not verify."""
    migrate(target, wait_seconds=wait_seconds)
    rows: dict[str, int] = {}
    with (
        readable_store(source, wait_seconds=wait_seconds) as con,
        pg_connect(target, owner=f"store copy from {Path(source).name}") as conn,
    ):
        expected = audit.verify(con)
        if not expected.intact:
            raise StoreError(
                f"{source}: its audit chain is broken ({expected.breaks[0]}); copy refused:"
                " `recon audit verify` says where"
            )
        with conn.transaction():
            lock_for_writing(conn, target, wait_seconds)
            check_current(conn, target)
            tables = [(t, cols) for t, cols in store_tables(con) if t != "store_info"]
            _refuse_a_used_target(conn, target, [t for t, _ in tables])
            for table, columns in tables:
                rows[table] = _copy_table(con, conn, table, [name for name, _ in columns])
        copied = _verify_copy(conn, expected, target)
    return Copied(rows, copied)


def _refuse_a_used_target(conn, target: PgLocation, tables: list[str]) -> None:
    used = [t for t in tables if conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM {SCHEMA}.{quote_ident(t)})").fetchone()[0]]  # fmt: skip
    if used:
        raise StoreError(
            f"{target} already holds a store ({', '.join(used)} not empty); copy only into a"
            " new one, so two histories are never merged"
        )


def _copy_table(con, conn, table: str, names: list[str]) -> int:
    cols = ", ".join(quote_ident(n) for n in names)
    order = ", ".join(str(i + 1) for i in range(len(names)))
    result = con.execute(f"SELECT {cols} FROM recon_store.{quote_ident(table)} ORDER BY {order}")
    count = 0
    with conn.cursor().copy(f"COPY {SCHEMA}.{quote_ident(table)} ({cols}) FROM STDIN") as copy:
        while batch := result.fetchmany(BATCH_ROWS):
            for row in batch:
                copy.write_row(row)
            count += len(batch)
    return count


def _verify_copy(conn, expected: audit.Verdict, target: PgLocation) -> audit.Verdict:
    con = connect()
    try:
        mirror_into(con, conn)
        verdict = audit.verify(con)
    finally:
        con.close()
    same = (verdict.events, verdict.event_hash, verdict.runs, verdict.run_hash) == (
        expected.events, expected.event_hash, expected.runs, expected.run_hash
    )  # fmt: skip
    if not verdict.intact or not same:
        raise StoreError(
            f"{target}: the copy was written but its audit chain does not verify as the"
            f" source's did ({verdict.breaks[0] if verdict.breaks else 'different heads'});"
            " do not use it: drop its tables and copy again"
        )
    return verdict
