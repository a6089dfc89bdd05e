"""A finding heals only where the run saw its transfer in a source the finding depends on
(CONTRACT.md section 5: "healing needs positive evidence ... A run about other transfers (the
next day) heals nothing it cannot see").

Day one books a 200.00 debit E5 on T3 with no credit: DEBIT_WITHOUT_CREDIT. Day two's
extracts are about other transfers; T3 shows up in them only in a source that cannot say
whether the debit was settled.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from recon.cli import main

LEDGER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,"
    "reversal_of\n"
)
CHANNEL = (
    "request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
    "currency,requested_at,status,error_code,txn_ref\n"
)
# a required extract is never empty: each day's gateway has a failed attempt of its own
GATEWAY = (
    "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required\n"
    "G9,U9,1.00,CNY,0.00,FAILED,2024-03-15T10:00:00Z,\n"
)
INVOICES = "invoice_id,txn_ref,amount,currency,issued_at,status\n"

DAY_ONE = {
    "ledger.csv": LEDGER
    + "E1,T1,A1,D,100.00,CNY,POSTED,2024-03-15T10:00:00Z,R1,\n"
    + "E2,T1,B1,C,100.00,CNY,POSTED,2024-03-15T10:00:01Z,R1,\n"
    + "E5,T3,A3,D,200.00,CNY,POSTED,2024-03-15T12:00:00Z,R3,\n",
    "channel.csv": CHANNEL
    + "R1,K1,APP,C1,A1,B1,100.00,CNY,2024-03-15T09:59:59Z,SUCCESS,,T1\n"
    + "R3,K3,APP,C3,A3,B3,200.00,CNY,2024-03-15T11:59:59Z,SUCCESS,,T3\n",
    "gateway.csv": GATEWAY,
}

# day two: U1 is the day's own complete transfer
DAY_TWO_LEDGER = (
    LEDGER
    + "E1,U1,A1,D,10.00,CNY,POSTED,2024-03-16T10:00:00Z,Q1,\n"
    + "E2,U1,B1,C,10.00,CNY,POSTED,2024-03-16T10:00:01Z,Q1,\n"
)
DAY_TWO_CHANNEL = CHANNEL + "Q1,J1,APP,C1,A1,B1,10.00,CNY,2024-03-16T09:59:59Z,SUCCESS,,U1\n"


def write_day(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(tmp_path: Path, name: str, files: dict[str, str], cutoff: str) -> dict:
    config = tmp_path / "recon.toml"
    config.write_text('clearing_accounts = ["CLR"]\n', encoding="utf-8")
    out = tmp_path / f"out-{name}"
    code = main(
        ["run", "--quiet", "--data-dir", str(write_day(tmp_path / name, files)),
         "--out", str(out), "--store", str(tmp_path / "recon.duckdb"),
         "--config", str(config), "--cutoff", cutoff]
    )  # fmt: skip
    assert code in (0, 1)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    with (out / "exceptions.csv").open(encoding="utf-8-sig") as fh:
        summary["exceptions"] = list(csv.DictReader(fh))
    return summary


def day_one(tmp_path: Path) -> str:
    """Run day one; the id of its DEBIT_WITHOUT_CREDIT on T3."""
    first = run(tmp_path, "day1", DAY_ONE, "2024-03-16T00:00:00Z")
    (found,) = [e for e in first["exceptions"] if e["subtype"] == "DEBIT_WITHOUT_CREDIT"]
    assert found["txn_ref"] == "T3"
    return found["exception_id"]


def open_ids(summary: dict) -> set[str]:
    return {e["exception_id"] for e in summary["exceptions"] if e["status"] == "OPEN"}


def day_two(tmp_path: Path, **extra: str) -> dict:
    """Run day two: its own transfer U1, plus `extra` lines appended to the named extract
    (`channel=...`, `invoices=...`)."""
    files = {"ledger": DAY_TWO_LEDGER, "channel": DAY_TWO_CHANNEL, "gateway": GATEWAY}
    for source, lines in extra.items():
        files[source] = files.get(source, INVOICES) + lines
    named = {f"{source}.csv": text for source, text in files.items()}
    return run(tmp_path, "day2", named, "2024-03-17T00:00:00Z")


def test_a_late_channel_request_for_the_transfer_heals_nothing(tmp_path):
    dwc = day_one(tmp_path)
    second = day_two(
        tmp_path, channel="Q3,J3,APP,C3,A3,B3,5.00,CNY,2024-03-16T09:00:00Z,FAILED,SYSTEM_BUSY,T3\n"
    )
    assert dwc not in second["healed"]
    assert dwc in open_ids(second)


def test_a_lone_gateway_record_for_the_transfer_heals_nothing(tmp_path):
    dwc = day_one(tmp_path)
    second = day_two(tmp_path, gateway="G7,T3,200.00,CNY,0.00,REFUNDED,2024-03-16T10:00:00Z,\n")
    assert dwc not in second["healed"]


def test_a_lone_invoice_for_the_transfer_heals_nothing(tmp_path):
    dwc = day_one(tmp_path)
    second = day_two(tmp_path, invoices="I3,T3,200.00,CNY,2024-03-16T10:00:00Z,VOID\n")
    assert dwc not in second["healed"]


def test_a_partial_late_credit_without_the_debit_heals_nothing(tmp_path):
    """The debit is not in day two's extract: 60.00 of 200.00 credited cannot settle it."""
    dwc = day_one(tmp_path)
    second = day_two(tmp_path, ledger="E9,T3,B3,C,60.00,CNY,POSTED,2024-03-16T09:00:00Z,R3,\n")
    assert dwc not in second["healed"]
    assert dwc in open_ids(second)


def test_even_a_full_late_credit_without_the_debit_heals_nothing(tmp_path):
    """The run cannot see what it would settle; an analyst closes it (docs/store.md)."""
    dwc = day_one(tmp_path)
    second = day_two(tmp_path, ledger="E9,T3,B3,C,200.00,CNY,POSTED,2024-03-16T09:00:00Z,R3,\n")
    assert dwc not in second["healed"]


def test_the_late_credit_heals_it_when_the_run_reads_the_debit_again(tmp_path):
    """A re-extraction of day one with the late credit: the debit and its credit are seen."""
    dwc = day_one(tmp_path)
    late = "E9,T3,B3,C,200.00,CNY,POSTED,2024-03-15T23:00:00Z,R3,\n"
    second = run(
        tmp_path, "again", {**DAY_ONE, "ledger.csv": DAY_ONE["ledger.csv"] + late},
        "2024-03-16T00:00:00Z",
    )  # fmt: skip
    assert second["healed"] == [dwc]
