"""`recon store migrate`: create a PostgreSQL store, or bring it to this recon's schema.

Versioned like the DuckDB store (`store_info.schema_version`, recon/store/migrate.py), and
for the same reason one step per version, each in its own transaction with its number, so a
failed or killed migration leaves the store at the version it had. Unlike the DuckDB file it
is never migrated on the fly: the batch and web roles own no tables and may not ALTER them
(least privilege), so a store at another version is refused at start (`check_current`) with
this command to run, by the role that owns the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from recon.errors import StoreError
from recon.sql import load_sql
from recon.store.location import PgLocation
from recon.store.migrate import CURRENT_VERSION
from recon.store.pg.connection import SCHEMA, WRITE_LOCK, pg_connect, schema_version

# version reached -> the script (in recon.store.pg) that takes a store there from the one
# before. A new store starts at 5: no PostgreSQL store older than that exists.
STEPS: dict[int, str] = {5: "schema_v5", 6: "schema_v6", 7: "schema_v7"}


@dataclass(frozen=True)
class Migrated:
    """What `migrate` did: the version found (None: a new store) and the one left."""

    before: int | None
    after: int


def migrate(location: PgLocation, *, wait_seconds: float = 60.0) -> Migrated:
    """Bring the store at `location` to CURRENT_VERSION (creating it in an empty database)."""
    with pg_connect(location, owner="store migrate") as conn:
        with conn.transaction():
            conn.execute(f"SET LOCAL lock_timeout = '{max(1, int(wait_seconds * 1000))}ms'")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            before = schema_version(conn)
            if before is not None and before > CURRENT_VERSION:
                raise StoreError(
                    f"{location} was written by a newer recon (store schema {before}; this"
                    f" recon knows up to {CURRENT_VERSION}): upgrade recon before using it"
                )
            conn.execute(load_sql("recon.store.pg", "store_info"))
        version = schema_version(conn) or 0
        while version < CURRENT_VERSION:
            target = min(v for v in STEPS if v > version)
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                if (schema_version(conn) or 0) != version:  # another migrate got there first
                    version = schema_version(conn) or 0
                    continue
                conn.execute(load_sql("recon.store.pg", STEPS[target]))
                conn.execute(
                    f"UPDATE {SCHEMA}.store_info SET value = %s WHERE key = 'schema_version'",
                    (str(target),),
                )
            version = target
    return Migrated(before, version)
