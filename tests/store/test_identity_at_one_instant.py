"""Findings about rows at one instant keep their ids when one of them goes away.

The auditor's case (r11): three identical debits E5, E6, E7 of T3 at one instant (one
request): E6 and E7 are extra debits, one SAME_REQUEST finding each. The next extract adds
E9, reversing E6. E7's extra 200.00 is still held: its exception must stay open under its own
id, never take E6's (CONTRACT.md section 5: `exception_id` identifies one finding for ever; a
resolved finding stays resolved; one that no longer appears is closed as SELF_HEALED).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.store.actions import resolve

LEDGER = [
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of",
    "E1,T1,A1,D,100.00,CNY,POSTED,2024-03-15T10:00:00Z,R1,",
    "E2,T1,B1,C,100.00,CNY,POSTED,2024-03-15T10:00:01Z,R1,",
    "E3,T2,A2,D,50.00,CNY,POSTED,2024-03-15T11:00:00Z,R2,",
    "E4,T2,CLR,C,50.00,CNY,POSTED,2024-03-15T11:00:01Z,R2,",
    "E5,T3,A3,D,200.00,CNY,POSTED,2024-03-15T12:00:00Z,R3,",
    "E6,T3,A3,D,200.00,CNY,POSTED,2024-03-15T12:00:00Z,R3,",
    "E7,T3,A3,D,200.00,CNY,POSTED,2024-03-15T12:00:00Z,R3,",
    "E8,T3,B3,C,200.00,CNY,POSTED,2024-03-15T12:00:01Z,R3,",
]
E6_REVERSED = "E9,T3,A3,C,200.00,CNY,POSTED,2024-03-15T15:00:00Z,,E6"
CHANNEL = [
    "request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
    "currency,requested_at,status,error_code,txn_ref",
    "R1,K1,APP,C1,A1,B1,100.00,CNY,2024-03-15T09:59:59Z,SUCCESS,,T1",
    "R2,K2,APP,C2,A2,X9,50.00,CNY,2024-03-15T10:59:59Z,SUCCESS,,T2",
    "R3,K3,APP,C3,A3,B3,200.00,CNY,2024-03-15T11:59:59Z,SUCCESS,,T3",
]
GATEWAY = [
    "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required",
    "G1,T2,50.00,CNY,1.00,SUCCESS,2024-03-15T11:00:05Z,false",
]
KEY = "DUPLICATE_DEBIT|SAME_REQUEST|T3|ledger@2024-03-15T12:00:00.000000Z"


def write_day(folder: Path, ledger: list[str]) -> Path:
    folder.mkdir(parents=True)
    for name, lines in (("ledger", ledger), ("channel", CHANNEL), ("gateway", GATEWAY)):
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(tmp_path: Path, name: str, ledger: list[str]) -> int:
    config = tmp_path / "recon.toml"
    config.write_text('clearing_accounts = ["CLR"]\n', encoding="utf-8")
    return main(
        ["run", "--quiet", "--data-dir", str(write_day(tmp_path / name, ledger)),
         "--out", str(tmp_path / f"out-{name}"), "--store", str(tmp_path / "store.duckdb"),
         "--config", str(config), "--cutoff", "2024-03-16T00:00:00Z"]
    )  # fmt: skip


def open_findings(tmp_path: Path, name: str) -> dict[str, str]:
    """exception_id -> the finding's own row, from the run's exceptions.csv."""
    with (tmp_path / f"out-{name}" / "exceptions.csv").open(encoding="utf-8-sig") as fh:
        return {r["exception_id"]: r["evidence"].split(";")[0] for r in csv.DictReader(fh)}


def stored(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """exception_id -> (finding_key, status) of every exception in the store."""
    con = duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT exception_id, finding_key, status FROM exceptions")
        return {i: (k, s) for i, k, s in rows.fetchall()}
    finally:
        con.close()


def day_one(tmp_path: Path) -> tuple[str, str]:
    """Run the first extract; the exception ids of E6's and E7's findings."""
    assert run(tmp_path, "day1", LEDGER) == ExitCode.FINDINGS
    by_row = {row: i for i, row in open_findings(tmp_path, "day1").items()}
    assert sorted(by_row) == ["ledger:E6", "ledger:E7"]
    assert stored(tmp_path)[by_row["ledger:E7"]][0] == KEY + "#2"
    return by_row["ledger:E6"], by_row["ledger:E7"]


def test_the_extra_debit_left_keeps_its_open_exception_when_the_other_is_reversed(tmp_path):
    e6, e7 = day_one(tmp_path)
    assert run(tmp_path, "day2", [*LEDGER, E6_REVERSED]) == ExitCode.FINDINGS
    assert open_findings(tmp_path, "day2") == {e7: "ledger:E7"}
    assert stored(tmp_path) == {e6: (KEY + "#1", "SELF_HEALED"), e7: (KEY + "#2", "OPEN")}
    summary = json.loads((tmp_path / "out-day2" / "summary.json").read_text(encoding="utf-8"))
    assert summary["healed"] == [e6]


def test_a_resolved_extra_debit_never_lends_its_decision_to_the_next_one(tmp_path):
    e6, e7 = day_one(tmp_path)
    resolve(tmp_path / "store.duckdb", e6, code="CORRECTED", note="reversed by E9", actor="ana")
    assert run(tmp_path, "day2", [*LEDGER, E6_REVERSED]) == ExitCode.FINDINGS
    # E7's extra 200.00 was never returned: its own exception is still open
    assert open_findings(tmp_path, "day2") == {e7: "ledger:E7"}
    assert stored(tmp_path) == {e6: (KEY + "#1", "RESOLVED"), e7: (KEY + "#2", "OPEN")}
