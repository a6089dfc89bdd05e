"""A store worked by a team, for the tests of users, roles, claims, versions and bulk.

`team_store` records one run finding T1-T4 (T4 a large, HIGH one on channel WEB) and, with
`users=True`, adds lead (admin), ann and bob (analysts), apr (approver) and vic (viewer).
Passwords are hashed with a cheap argon2 setting (the `cheap_hashes` fixture).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from recon.store import record_run
from recon.store.location import pg_location
from recon.store.pg.copy import copy_store
from recon.store.users import add_user

from .backends import is_pg
from .builders import F, at, load_findings, run_info

PASSWORD = "correct horse battery"
TEAM = (("ann", "analyst"), ("bob", "analyst"), ("apr", "approver"), ("vic", "viewer"))
FINDINGS = [F("T1", "100.00"), F("T2", "2000.00"), F("T3", "500.00"), F("T4", "25000.00")]


_TEMPLATES: dict[bool, Path] = {}  # built once per test session, copied for each test


def team_store(
    store: Path | str, con: duckdb.DuckDBPyConnection, *, users: bool = True
) -> Path | str:
    """The team's store at `store` (a copy of one built once; into a PostgreSQL store by
    `recon store copy`)."""
    if users not in _TEMPLATES:
        template = Path(tempfile.mkdtemp(prefix="recon-team-")) / "template.duckdb"
        load_findings(con, FINDINGS)
        record_run(template, con, run_info(1), actor="nightly", now=at(1))
        if users:
            add_user(template, "lead", "admin", PASSWORD, actor="root")
            for name, role in TEAM:
                add_user(template, name, role, PASSWORD, actor="lead")
        _TEMPLATES[users] = template
    if is_pg(store):
        copy_store(_TEMPLATES[users], pg_location(str(store)))
    else:
        shutil.copyfile(_TEMPLATES[users], store)
    return store


def ex(txn_ref: str) -> str:
    """The exception id of the finding on `txn_ref`."""
    return f"EX-DEBI-{txn_ref}"
