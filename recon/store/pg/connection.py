"""Connections to a PostgreSQL store, its schema version, and the store-wide write lock."""

from __future__ import annotations

import logging
import os
import re
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from recon.errors import StoreBusyError, StoreError, one_line
from recon.sql import load_sql
from recon.store.location import PgLocation, read_password

SCHEMA = "recon"  # the PostgreSQL schema holding the store's tables

# Every change of the store takes this transaction-scoped advisory lock first. The audit
# chain is one sequence over all events (each links to the one before), so writers append in
# turn whatever rows they touch; readers never take it and never wait (MVCC).
WRITE_LOCK = zlib.crc32(b"recon exception store: writers") & 0x7FFFFFFF
_POLL_SECONDS = 0.2
_APPLICATION = re.compile(r"recon\[(\d+)\](?:: (.*))?")  # what pg_connect names a session

log = logging.getLogger("recon.store")


@contextmanager
def pg_connect(location: PgLocation, *, owner: str = "") -> Iterator[psycopg.Connection]:
    """A connection to the store's database in UTC, closed when the block ends. `owner` (`run
    RUN_ID`, `ann: resolve EX-...`) and our pid are its application name (`recon[PID]: run
    RUN_ID`), which a waiting writer shows.

    In autocommit mode: whatever must change together is written inside `conn.transaction()`
    (BEGIN ... COMMIT), never in a transaction psycopg opened implicitly and nobody commits.

    The password comes from `password_file` when the config names one, else libpq finds it
    (PGPASSWORD, ~/.pgpass). A failure to connect is a StoreError naming the URL (which never
    holds a password) and the server's reason.
    """
    name = f"recon[{os.getpid()}]: {owner}" if owner else f"recon[{os.getpid()}]"
    extra: dict[str, str] = {"application_name": name[:63], "options": "-c TimeZone=UTC"}
    password = read_password(location)
    if password is not None:
        extra["password"] = password
    try:
        conn = psycopg.connect(location.url, autocommit=True, **extra)
    except psycopg.Error as err:
        raise StoreError(
            f"cannot connect to the PostgreSQL store {location}: {_reason(err)}"
        ) from None
    try:
        yield conn
    except psycopg.Error as err:
        raise StoreError(f"PostgreSQL store {location}: {_reason(err)}") from None
    finally:
        conn.close()


def _reason(err: psycopg.Error) -> str:
    text = one_line(err) or type(err).__name__
    return text.removeprefix("connection failed: ")


def schema_version(conn: psycopg.Connection) -> int | None:
    """The store's schema version, or None when the database holds no recon store yet."""
    found = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.store_info",)).fetchone()
    if not found or not found[0]:
        return None
    row = conn.execute(
        f"SELECT value FROM {SCHEMA}.store_info WHERE key = 'schema_version'"
    ).fetchone()
    return int(row[0]) if row else 0


def check_current(conn: psycopg.Connection, location: PgLocation) -> None:
    """Refuse a store whose schema is not this recon's: an older one names the command that
    migrates it (the role that owns the tables runs it: the batch and web roles may not),
    a newer one asks for a newer recon."""
    from recon.store.migrate import CURRENT_VERSION

    version = schema_version(conn)
    if version is None:
        raise StoreError(
            f"no exception store in {location} yet: create it with"
            f" `recon store migrate --store {location}` (as the role that will own it)"
        )
    if version < CURRENT_VERSION:
        raise StoreError(
            f"{location} holds store schema {version}; this recon needs {CURRENT_VERSION}:"
            f" run `recon store migrate --store {location}` (as the role that owns it)"
        )
    if version > CURRENT_VERSION:
        raise StoreError(
            f"{location} was written by a newer recon (store schema {version}; this recon"
            f" knows up to {CURRENT_VERSION}): upgrade recon before using it"
        )


def lock_for_writing(conn: psycopg.Connection, location: PgLocation, wait_seconds: float) -> None:
    """Take the store's write lock for the current transaction. While another writer holds
    it, say once whom we wait for, retry every _POLL_SECONDS, and past `wait_seconds` raise
    StoreBusyError naming it (`run RUN_ID (pid PID on HOST, role ROLE, since ...)`), as the
    DuckDB store's lock does."""
    deadline = time.monotonic() + max(0.0, wait_seconds)
    announced = False
    while not conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,)).fetchone()[0]:
        holder = _holder(conn)
        if time.monotonic() >= deadline:
            raise StoreBusyError(
                f"exception store {location} is in use by {holder}; gave up waiting. Try again"
                " when it has finished, or allow a longer wait."
            )
        if not announced:
            left = max(0.0, deadline - time.monotonic())
            log.warning(
                f"exception store {location} is in use by {holder}; waiting up to {left:.0f}s"
            )
            announced = True
        time.sleep(_POLL_SECONDS)


def _holder(conn: psycopg.Connection) -> str:
    """`run run-1 (pid 4242 on 10.0.0.5, role nightly, since ...Z)`: the holder as the DuckDB
    store names it (what it does and its process), with where and as whom it connected."""
    row = conn.execute(load_sql("recon.store.pg", "lock_holder"), (WRITE_LOCK,)).fetchone()
    if not row:  # it let go meanwhile
        return "another session"
    application, user, address, since = row
    where = f"on {address}, role {user}, since {since:%Y-%m-%d %H:%M:%S}Z"
    ours = _APPLICATION.fullmatch(application or "")
    if not ours:
        return f"{application or 'a client outside recon'} ({where})"
    pid, what = ours.groups()
    return f"{what or 'a recon process'} (pid {pid} {where})"
