"""A channel finding keeps its id when the request's txn_ref is filled in on a later extract.

A request told TIMEOUT usually reaches the channel extract before the core answered: its
txn_ref is empty, and a later extract of the same day may carry it. The finding (the request
told TIMEOUT, its debit booked: CHANNEL_FAILED_BUT_BOOKED) is the same one, so its
exception_id stays, it does not heal, and an analyst's resolution stands (CONTRACT.md
section 5). Found by an audit: the rerun closed the finding as SELF_HEALED and opened the same
break again under a new id, OPEN although an analyst had resolved it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from recon.cli import main
from recon.store.location import pg_location
from recon.store.migrate import CURRENT_VERSION
from recon.store.pg.migrate import migrate as pg_migrate
from recon.store.session import store_change

from .backends import is_pg, read_store, tamper

LEDGER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of"
)
CHANNEL = ("request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
           "currency,requested_at,status,error_code,txn_ref")  # fmt: skip
GATEWAY = "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required"


def day(folder: Path, r3_txn_ref: str) -> Path:
    """A complete transfer T1 (paid out), and R3 told TIMEOUT although its debit E5 (and
    credit) on T3 were booked; R3's own txn_ref is `r3_txn_ref`."""
    folder.mkdir(parents=True)
    files = {
        "ledger.csv": [LEDGER,
            "E1,T1,A1,D,100.00,CNY,POSTED,2024-03-15T10:00:00Z,R1,",
            "E2,T1,B1,C,100.00,CNY,POSTED,2024-03-15T10:00:01Z,R1,",
            "E5,T3,A3,D,200.00,CNY,POSTED,2024-03-15T12:00:00Z,R3,",
            "E6,T3,B3,C,200.00,CNY,POSTED,2024-03-15T12:00:01Z,R3,"],
        "channel.csv": [CHANNEL,
            "R1,K1,APP,C1,A1,B1,100.00,CNY,2024-03-15T09:59:59Z,SUCCESS,,T1",
            f"R3,K3,APP,C3,A3,B3,200.00,CNY,2024-03-15T11:59:59Z,TIMEOUT,SYSTEM_BUSY,{r3_txn_ref}"],
        "gateway.csv": [GATEWAY, "G1,T1,100.00,CNY,0.00,SUCCESS,2024-03-15T10:00:05Z,false"],
    }  # fmt: skip
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(tmp_path: Path, name: str, r3_txn_ref: str) -> dict[str, dict[str, str]]:
    out = tmp_path / f"out-{name}"
    code = main(["run", "--quiet", "--data-dir", str(day(tmp_path / name, r3_txn_ref)),
                 "--out", str(out), "--store", str(tmp_path / "store.duckdb"),
                 "--cutoff", "2024-03-16T00:00:00Z"])  # fmt: skip
    assert code in (0, 1)
    with (out / "exceptions.csv").open(encoding="utf-8") as fh:
        return {row["exception_id"]: row for row in csv.DictReader(fh)}


def summary(tmp_path: Path, name: str) -> dict:
    return json.loads((tmp_path / f"out-{name}" / "summary.json").read_text(encoding="utf-8"))


def stored(tmp_path: Path) -> list[tuple[str, str, str]]:
    con = duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT exception_id, subtype, status FROM exceptions ORDER BY exception_id"
        ).fetchall()
    finally:
        con.close()


def the_finding(found: dict[str, dict[str, str]]) -> str:
    (exception_id,) = found
    row = found[exception_id]
    assert (row["subtype"], row["txn_ref"], row["evidence"]) == (
        "CHANNEL_FAILED_BUT_BOOKED", "T3", "channel:R3;ledger:E5;ledger:E6",
    )  # fmt: skip
    return exception_id


@pytest.mark.parametrize(("before", "after"), [("", "T3"), ("T3", ""), ("", "")])
def test_the_requests_txn_ref_filled_in_keeps_the_findings_id(tmp_path, before, after):
    first = the_finding(run(tmp_path, "first", before))
    second = the_finding(run(tmp_path, "second", after))
    assert second == first
    assert (summary(tmp_path, "second")["new"], summary(tmp_path, "second")["healed"]) == ([], [])
    assert stored(tmp_path) == [(first, "CHANNEL_FAILED_BUT_BOOKED", "OPEN")]


def test_a_resolved_finding_stays_resolved_when_the_requests_txn_ref_is_filled_in(tmp_path):
    exception_id = the_finding(run(tmp_path, "first", ""))
    assert main(["exceptions", "resolve", exception_id, "--code", "CUSTOMER_NOTIFIED",
                 "--note", "told the customer", "--actor", "ann",
                 "--store", str(tmp_path / "store.duckdb")]) == 0  # fmt: skip

    open_after = run(tmp_path, "second", "T3")

    assert open_after == {}  # resolved: not an open finding of this run
    assert (summary(tmp_path, "second")["new"], summary(tmp_path, "second")["healed"]) == ([], [])
    assert stored(tmp_path) == [(exception_id, "CHANNEL_FAILED_BUT_BOOKED", "RESOLVED")]


# --- a store written before the fix (schema 6) is rekeyed: its ids and decisions stay


def test_a_store_from_before_the_fix_keeps_the_id_and_the_resolution(tmp_path):
    store = tmp_path / "store.duckdb"
    exception_id = the_finding(run(tmp_path, "first", ""))
    assert (
        main(
            [
                "exceptions",
                "resolve",
                exception_id,
                "--code",
                "CUSTOMER_NOTIFIED",
                "--note",
                "told the customer",
                "--actor",
                "ann",
                "--store",
                str(store),
            ]
        )
        == 0
    )
    # as the code before this fix wrote it: the request's own (empty) txn_ref in the key
    tamper(store,
        "UPDATE exceptions SET finding_key ="
        " 'HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED||channel@2024-03-15T11:59:59.000000Z|A3#1'",
        "UPDATE store_info SET value = '6' WHERE key = 'schema_version'")  # fmt: skip

    assert run(tmp_path, "second", "T3") == {}

    assert (summary(tmp_path, "second")["new"], summary(tmp_path, "second")["healed"]) == ([], [])
    assert stored(tmp_path) == [(exception_id, "CHANNEL_FAILED_BUT_BOOKED", "RESOLVED")]


P = "HALF_COMPLETED|CHANNEL_FAILED_BUT_BOOKED|"
S = "HALF_COMPLETED|CHANNEL_SUCCESS_NOT_BOOKED|"


def at_(second: int) -> str:
    return f"|channel@2024-03-15T11:59:{second:02d}.000000Z|"


# exception_id: (subtype key prefix, key before, txn_ref, request, key after)
REKEYED = {
    # the request had no txn_ref; its debit is on T3
    "EX-A": (P, f"{at_(1)}A3#1", "T3", "R3", f"T3{at_(1)}A3#1"),
    # already keyed by the finding's txn_ref (request and debit agreed)
    "EX-B": (P, f"T1{at_(2)}A1#1", "T1", "R1", f"T1{at_(2)}A1#1"),
    # two requests without txn_ref, one instant and account, both booked on T4: numbered
    # again by request_id among what now shares the key
    "EX-C": (P, f"{at_(3)}A4#2", "T4", "R41", f"T4{at_(3)}A4#2"),
    "EX-D": (P, f"{at_(3)}A4#1", "T4", "R40", f"T4{at_(3)}A4#1"),
    # the break was already opened again under the new key (EX-F): EX-E keeps its own key
    "EX-E": (P, f"{at_(4)}A5#1", "T5", "R5", f"{at_(4)}A5#1"),
    "EX-F": (P, f"T5{at_(4)}A5#1", "T5", "R5", f"T5{at_(4)}A5#1"),
    # the request named T6, its debit is on T7
    "EX-G": (P, f"T6{at_(5)}A6#1", "T7", "R6", f"T7{at_(5)}A6#1"),
    # told SUCCESS, nothing booked: its key never held another txn_ref
    "EX-H": (S, f"{at_(6)}A3#1", None, "R8", f"{at_(6)}A3#1"),
    # a schema-1 key the schema-2 migration could not rebuild stays as it was
    "EX-I": (P, "channel:R9", "T9", "R9", "channel:R9"),
    # a debit account with # in it
    "EX-J": (P, f"{at_(7)}A#7#1", "T8", "R7", f"T8{at_(7)}A#7#1"),
    # K moves off T10 onto its debit's T11, L (no txn_ref, debit on T10) takes T10's key
    "EX-K": (P, f"T10{at_(8)}A9#1", "T11", "R11", f"T11{at_(8)}A9#1"),
    "EX-L": (P, f"{at_(8)}A9#1", "T10", "R10", f"T10{at_(8)}A9#1"),
}


def literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def test_the_schema_7_migration_rekeys_channel_findings_alike_on_both_backends(store):
    if not is_pg(store):  # (new_pg_store made a PostgreSQL one at the current schema)
        with store_change(store, owner="test", wait_seconds=5, create=True):
            pass
    rows = [
        ", ".join([literal(i), literal(prefix + before), "'HALF_COMPLETED'",
                   literal(prefix.split("|")[1]), literal(txn), "'2024-03-16 00:00:00+00'",
                   literal(f"channel:{request};ledger:E1"), "'OPEN'", "'run-1'", "'run-1'"])
        for i, (prefix, before, txn, request, _) in REKEYED.items()
    ]  # fmt: skip
    tamper(store,
        "INSERT INTO exceptions (exception_id, finding_key, type, subtype, txn_ref,"
        " detected_at, evidence, status, first_seen_run, last_seen_run) VALUES "
        + ", ".join(f"({row})" for row in rows),
        "UPDATE store_info SET value = '6' WHERE key = 'schema_version'")  # fmt: skip

    if is_pg(store):
        pg_migrate(pg_location(store))
    else:
        with store_change(store, owner="test", wait_seconds=5):
            pass

    with read_store(store) as con:
        keys = dict(con.execute("SELECT exception_id, finding_key FROM exceptions").fetchall())
        version = con.execute(
            "SELECT value FROM store_info WHERE key = 'schema_version'"
        ).fetchall()
    assert keys == {i: prefix + after for i, (prefix, _, _, _, after) in REKEYED.items()}
    assert version == [(str(CURRENT_VERSION),)]
