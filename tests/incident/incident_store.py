"""A hand-made exception store holding one incident's cases, for notices and the report.

It is made as a DuckDB file; a test marked `ON_BOTH_BACKENDS` runs again over a PostgreSQL
store copied from it (`recon store copy`, tests/store/backends.py), so notices and the
report take the store's one interface whichever backend holds it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from recon.db import connect
from recon.sql import load_sql, run_statements
from recon.store import audit
from recon.store.migrate import migrate
from tests.store.backends import BACKENDS, pg_copy_of

# a test so marked runs over the hand-made file and again over a PostgreSQL copy of it
ON_BOTH_BACKENDS = pytest.mark.parametrize("store", BACKENDS, indirect=True)
ON_POSTGRESQL = pytest.mark.parametrize("store", BACKENDS[1:], indirect=True)

NOW = datetime(2024, 3, 16, 9, 0, tzinfo=UTC)

# exception_id, customer, txn_ref, type/subtype, amount, compensation, status, resolution,
# event_at (2024-03-15, UTC), channel, action
CASES = [
    ("EX-1", "C0000001", "T1", "HALF_COMPLETED/DEBIT_WITHOUT_CREDIT", "100.00", "0.02", "OPEN",
     None, "11:21", "APP", "POST_CREDIT_OR_REVERSE"),
    ("EX-2", "C0000001", "T2", "DUPLICATE_DEBIT/SAME_REQUEST", "50.00", "0.01", "RESOLVED",
     "REFUNDED", "11:24", "APP", "REVERSE_DEBIT"),
    ("EX-3", "C0000002", "T3", "HALF_COMPLETED/DEBIT_WITHOUT_CREDIT", "20.00", "0.00",
     "SELF_HEALED", None, "11:26", "WEB", "POST_CREDIT_OR_REVERSE"),
    ("EX-4", "C0000003", "T4", "HALF_COMPLETED/BOOKED_GATEWAY_FAILED", "2000.00", "0.27",
     "OPEN", None, "11:28", "WEB", "REVERSE_DEBIT"),
    ("EX-5", "C0000003", "T4", "HALF_COMPLETED/STUCK_PENDING", "2000.00", "0.00", "OPEN",
     None, "11:28", "WEB", "INVESTIGATE"),
]  # fmt: skip


def make_store(folder: Path, cases: list[tuple] = CASES, incident: str = "INC-7") -> Path:
    """A store at the current schema with `cases`, all tagged by `incident`."""
    path = folder / "recon.duckdb"
    con = connect()
    con.execute(f"ATTACH '{path}' AS recon_store")
    run_statements(con, load_sql("recon.store", "schema"))
    migrate(con, str(path))
    for ex_id, customer, txn, finding, amount, comp, status, code, at, channel, action in cases:
        kind, subtype = finding.split("/")
        con.execute(
            """INSERT INTO recon_store.exceptions (exception_id, type, subtype, txn_ref,
               customer_id, account_id, amount, currency, compensation, channel, status,
               resolution_code, event_at, proposed_action, detected_at, first_seen_run,
               last_seen_run, closed_at)
               VALUES ($id, $type, $subtype, $txn, $customer, 'AC0000000099', $amount, 'CNY',
                       $comp, $channel, $status, $code, $at, $action, $now, 'run-1', 'run-1',
                       CASE WHEN $status IN ('RESOLVED', 'SELF_HEALED') THEN $now END)""",
            {"id": ex_id, "type": kind, "subtype": subtype, "txn": txn, "customer": customer,
             "amount": Decimal(amount), "comp": Decimal(comp), "channel": channel,
             "status": status, "code": code, "action": action, "now": NOW,
             "at": datetime.fromisoformat(f"2024-03-15T{at}:00+00:00")},
        )  # fmt: skip
        con.execute(
            "INSERT INTO recon_store.incident_tags VALUES ($i, $e, 'run-1')",
            {"i": incident, "e": ex_id},
        )
    con.execute("DETACH recon_store")
    con.close()
    return path


def on_backend(
    request: pytest.FixtureRequest, path: Path, backend: str | None = None
) -> Path | str:
    """The hand-made store at `path` on this test's backend (`backend`, else the `store`
    fixture's parameter, else the file): the file itself, or a new PostgreSQL store holding
    a copy of it."""
    if (backend or getattr(request, "param", "duckdb")) == "postgresql":
        return pg_copy_of(path, request.getfixturevalue("pg_server"))
    return path


def add_events(path: Path) -> None:
    """The cases' history, chained as recon chains it (so the store verifies and copies): all
    found on the 15th (UTC); EX-2 resolved and EX-3 healed on the 16th."""
    con = connect()
    con.execute(f"ATTACH '{path}' AS recon_store")
    for n, (ex_id, day, status) in enumerate(
        [("EX-1", 15, "OPEN"), ("EX-2", 15, "OPEN"), ("EX-3", 15, "OPEN"),
         ("EX-4", 15, "OPEN"), ("EX-5", 15, "OPEN"), ("EX-2", 16, "RESOLVED"),
         ("EX-3", 16, "SELF_HEALED")], 1
    ):  # fmt: skip
        con.execute(
            "INSERT INTO recon_store.events (event_no, exception_id, changed_at, actor, action,"
            " to_status) VALUES ($n, $e, $at, 'nightly', 'X', $s)",
            {"n": n, "e": ex_id, "at": datetime(2024, 3, day, 23, 0, tzinfo=UTC), "s": status},
        )
    audit.link_existing(con)
    con.execute("DETACH recon_store")
    con.close()
