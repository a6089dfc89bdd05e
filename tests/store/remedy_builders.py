"""Hand-made runs that keep suggestions, and hand-made extracts of a break that heals.

`run_with_remedies` records a run of hand-made findings (builders.py) the way the pipeline
does: remedies and suggestions inside the store's transaction. `write_day` writes the three
required extracts of a tiny day: one transfer T1 whose debit is booked and whose credit
arrives late (or not yet), and one complete external transfer T0.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from recon.cli import main
from recon.db import connect
from recon.pipeline import propose_remedies
from recon.store import keep_suggestions, recording, users

from .backends import read_store
from .builders import F, at, load_findings, run_info

PASSWORD = "correct horse battery"


def run_with_remedies(
    store: Path,
    number: int,
    findings: list[F],
    *,
    evaluated: list[str] | None = None,
    action: str = "POST_CREDIT_OR_REVERSE",
    payees: dict[str, str] | None = None,
    fail: bool = False,
) -> None:
    """Record run `number` of `findings` (every proposed_action `action`), then propose
    remedies and keep the suggestions in its transaction; `payees` (txn_ref -> account)
    gives the transfers a known payee; `fail` raises after the suggestions were written."""
    con = connect()
    try:
        load_findings(con, findings, evaluated)
        con.execute("UPDATE findings SET proposed_action = $a", {"a": action})
        _sources(con, payees or {})
        with recording(store, con, run_info(number), actor="nightly", now=at(number)):
            propose_remedies(con)
            keep_suggestions(con, run_info(number), now=at(number))
            if fail:
                raise RuntimeError("killed after the suggestions were written")
    finally:
        con.close()


def _sources(con: duckdb.DuckDBPyConnection, payees: dict[str, str]) -> None:
    """The ledger and channel working tables the remedies look the payee up in."""
    con.execute(
        "CREATE TABLE ledger (entry_id VARCHAR, txn_ref VARCHAR, account_id VARCHAR,"
        " direction VARCHAR, status VARCHAR, posted_at TIMESTAMPTZ, reversal_of VARCHAR,"
        " _file VARCHAR, _line BIGINT)"
    )
    con.execute(
        "CREATE TABLE channel (request_id VARCHAR, txn_ref VARCHAR, credit_account VARCHAR,"
        " requested_at TIMESTAMPTZ, _file VARCHAR, _line BIGINT)"
    )
    for n, (txn_ref, payee) in enumerate(sorted(payees.items())):
        con.execute(
            "INSERT INTO channel VALUES ($r, $t, $p, TIMESTAMPTZ '2024-03-15 10:00:00+00',"
            " 'channel.csv', $n)",
            {"t": txn_ref, "p": payee, "r": f"R{n}", "n": n + 2},
        )


def add_user(store: Path, name: str, role: str, *, by: str = "root") -> None:
    """A user of the store (the first one, `root`, an admin, is added when needed)."""
    if name != by and not users.store_has_users(store):
        users.add_user(store, by, "admin", PASSWORD, actor=by)
    users.add_user(store, name, role, PASSWORD, actor=by)


def stored(store: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of a query on the store, read-only."""
    with read_store(store) as con:
        return con.execute(sql, params or {}).fetchall()


LEDGER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of"
)
CHANNEL = (
    "request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
    "currency,requested_at,status,error_code,txn_ref"
)
GATEWAY = "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required"


def write_day(folder: Path, *, late_credit: bool) -> Path:
    """A day's extracts: T1's debit of 100.00 CNY from AC0001 to payee AC0002 (its credit
    only with `late_credit`), and a complete external transfer T0."""
    folder.mkdir(parents=True, exist_ok=True)
    ledger = [
        LEDGER,
        "E0,T0,AC0003,D,50.00,CNY,POSTED,2024-03-15T09:00:00Z,R0,",
        "E9,T0,CLEARING,C,50.00,CNY,POSTED,2024-03-15T09:00:01Z,R0,",
        "E1,T1,AC0001,D,100.00,CNY,POSTED,2024-03-15T10:00:00Z,R1,",
    ]
    if late_credit:
        ledger.append("E2,T1,AC0002,C,100.00,CNY,POSTED,2024-03-15T20:00:00Z,R1,")
    channel = [
        CHANNEL,
        "R0,K0,APP,C0,AC0003,EXT0,50.00,CNY,2024-03-15T08:59:59Z,SUCCESS,,T0",
        "R1,K1,APP,C1,AC0001,AC0002,100.00,CNY,2024-03-15T09:59:59Z,SUCCESS,,T1",
    ]
    gateway = [GATEWAY, "G0,T0,50.00,CNY,0.00,SUCCESS,2024-03-15T09:00:02Z,false"]
    for name, lines in (("ledger", ledger), ("channel", channel), ("gateway", gateway)):
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def reconcile(data: Path, out: Path, store: Path, cutoff: datetime) -> int:
    """`recon run` of one day's folder into `out`, recording in `store`."""
    return main(
        ["run", "--quiet", "--data-dir", str(data), "--out", str(out), "--store", str(store),
         "--cutoff", cutoff.isoformat()]
    )  # fmt: skip
