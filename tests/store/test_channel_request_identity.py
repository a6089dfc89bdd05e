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
