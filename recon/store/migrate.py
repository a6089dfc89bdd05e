"""Bring an exception store written by an older recon up to the current schema.

Runs under the store's write lock, before any other write, each step in its own transaction
with the new version number: a migration that fails or is killed leaves the store at the
version it had. A store written by a newer recon is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from recon.errors import StoreError
from recon.sql import load_sql, run_statements
from recon.store import audit

CURRENT_VERSION = 7

Step = tuple[str, str] | Callable[[duckdb.DuckDBPyConnection], None]

# version reached -> what takes a store there from the one before, in order: a (package,
# script) to run, or a function of the connection (for what SQL alone cannot do)
_STEPS: dict[int, tuple[Step, ...]] = {
    2: (("recon.findings", "key_time"), ("recon.store", "rekey_v2")),
    # the audit chain: its columns, then the links of every existing event and run
    3: (("recon.store", "audit_v3"), audit.link_existing),
    # the analysts' team: users and roles, exception versions, comments, attachments
    4: (("recon.store", "team_v4"),),
    # maker-checker: proposed corrections and compensation, their decisions, alerts
    5: (("recon.store", "proposals_v5"),),
    # after an incident: customers' notices and the regulator's report versions (issue 16)
    6: (("recon.store", "notices_v6"),),
    # channel findings keyed by the finding's txn_ref, not the request's own (often empty)
    7: (("recon.store", "rekey_v7"),),
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
            for step in _STEPS[version]:
                if callable(step):
                    step(con)
                else:
                    run_statements(con, load_sql(*step))
            con.execute(
                "UPDATE recon_store.store_info SET value = $v WHERE key = 'schema_version'",
                {"v": str(version)},
            )
