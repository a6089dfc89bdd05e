"""Bring an exception store written by an older recon up to the current schema.

Runs under the store's write lock, before any other write, each step in its own transaction
with the new version number: a migration that fails or is killed leaves the store at the
version it had. A store written by a newer recon is refused rather than misread.
"""

from __future__ import annotations

import duckdb

from recon.errors import StoreError
from recon.sql import load_sql, run_statements

CURRENT_VERSION = 2

# version reached -> the (package, script) that takes a store there from the one before
_STEPS = {
    2: (("recon.findings", "key_time"), ("recon.store", "rekey_v2")),
}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "SELECT value FROM recon_store.store_info WHERE key = 'schema_version'"
    ).fetchone()
    return int(row[0]) if row else CURRENT_VERSION


def migrate(con: duckdb.DuckDBPyConnection, store_path: str) -> None:
    """Migrate the store attached as `recon_store` to CURRENT_VERSION, step by step."""
    version = schema_version(con)
    if version > CURRENT_VERSION:
        raise StoreError(
            f"{store_path} was written by a newer recon (store schema {version}; this recon"
            f" knows up to {CURRENT_VERSION}): upgrade recon before using it"
        )
    from recon.store.session import transaction  # session calls this module

    while version < CURRENT_VERSION:
        version += 1
        with transaction(con):
            for package, name in _STEPS[version]:
                run_statements(con, load_sql(package, name))
            con.execute(
                "UPDATE recon_store.store_info SET value = $v WHERE key = 'schema_version'",
                {"v": str(version)},
            )
