"""Money limits end to end: one amount fits DECIMAL(18,2) (16 integer digits) or does not
parse, but sums and differences of such amounts can pass it. They are computed wide, never
overflowing; where one must be kept as DECIMAL(18,2) (a finding's amount or compensation, a
file's amount sum in the run's record) and does not fit, the run stops with exit 2 and one
line naming the transfer or file, not a DuckDB traceback."""

from __future__ import annotations

import csv
from pathlib import Path

from recon.cli import main
from recon.exit_codes import ExitCode

BIG = "9999999999999999.00"
LEDGER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of"
)
CHANNEL = (
    "request_id,idempotency_key,channel,customer_id,debit_account,credit_account,amount,"
    "currency,requested_at,status,error_code,txn_ref"
)
GATEWAY = "gateway_ref,txn_ref,amount,currency,fee,status,gateway_at,invoice_required"


def write(path: Path, header: str, *rows: str) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def run(data: Path, tmp_path: Path) -> int:
    return main(
        [
            "run", "--quiet",
            "--data-dir", str(data),
            "--out", str(tmp_path / "out"),
            "--store", str(tmp_path / "store.duckdb"),
            "--cutoff", "2024-03-20T00:00:00Z",
        ]
    )  # fmt: skip


def two_big_debits(data: Path, *, split: bool, second_account: str) -> Path:
    """Debits of BIG on T1 by A1 and `second_account`, in one ledger file or two."""
    data.mkdir()
    first = f"E1,T1,A1,D,{BIG},CNY,POSTED,2024-03-15T10:00:00Z,R1,"
    second = f"E2,T1,{second_account},D,{BIG},CNY,POSTED,2024-03-15T10:01:00Z,R2,"
    if split:
        write(data / "ledger.csv", LEDGER, first)
        write(data / "ledger_part2.csv", LEDGER, second)
    else:
        write(data / "ledger.csv", LEDGER, first, second)
    write(
        data / "channel.csv",
        CHANNEL,
        f"R1,K1,APP,C1,A1,B1,{BIG},CNY,2024-03-15T10:00:00Z,SUCCESS,,T1",
    )
    write(
        data / "channel_part2.csv",
        CHANNEL,
        f"R2,K2,APP,C1,{second_account},B1,{BIG},CNY,2024-03-15T10:01:00Z,TIMEOUT,,T1",
    )
    write(data / "gateway.csv", GATEWAY, f"G1,T1,{BIG},CNY,0,SUCCESS,2024-03-15T10:00:00Z,false")
    return data


def one_clear_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for crash in ("Traceback", "Casting", "Overflow"):
        assert crash not in err
    return lines[0]


def test_two_huge_amounts_in_one_file_stop_the_run_naming_the_file(tmp_path, capsys):
    data = two_big_debits(tmp_path / "data", split=False, second_account="A2")

    assert run(data, tmp_path) == ExitCode.FAILED

    line = one_clear_line(capsys.readouterr().err)
    assert "ledger.csv: amount sum 19999999999999998.00 does not fit DECIMAL(18,2)" in line


def test_a_difference_beyond_the_store_type_stops_the_run_naming_the_txn_ref(tmp_path, capsys):
    # each file's sum fits; the transfer's booked debits (A1 and A2) do not
    data = two_big_debits(tmp_path / "data", split=True, second_account="A2")

    assert run(data, tmp_path) == ExitCode.FAILED

    line = one_clear_line(capsys.readouterr().err)
    assert (
        "txn_ref T1: HALF_COMPLETED/DEBIT_WITHOUT_CREDIT amount 19999999999999998.00"
        " does not fit DECIMAL(18,2)" in line
    )


def test_a_huge_duplicate_debit_reconciles_with_exact_interest(tmp_path):
    # the same leg (A1, amount) twice under T1: one is a duplicate, the other is held money
    data = two_big_debits(tmp_path / "data", split=True, second_account="A1")

    assert run(data, tmp_path) == ExitCode.FINDINGS

    with (tmp_path / "out" / "exceptions.csv").open(encoding="utf-8") as fh:
        found = {(r["subtype"], r["amount"], r["compensation"]) for r in csv.DictReader(fh)}
    # 9999999999999999.00 * 0.05 * 5 days / 365, half-up to cents
    assert found == {
        ("SAME_REQUEST", BIG, "6849315068493.15"),
        ("DEBIT_WITHOUT_CREDIT", BIG, "6849315068493.15"),
    }
    with (tmp_path / "out" / "compensation.csv").open(encoding="utf-8") as fh:
        assert [r["compensation"] for r in csv.DictReader(fh)] == ["13698630136986.30"]


def test_compensation_beyond_the_store_type_stops_the_run_naming_the_txn_ref(tmp_path, capsys):
    # an extra charge of BIG refunds its fee of BIG plus interest on BIG
    data = two_big_debits(tmp_path / "data", split=True, second_account="A1")
    write(
        data / "gateway.csv", GATEWAY, f"G1,T1,{BIG},CNY,{BIG},SUCCESS,2024-03-15T10:00:00Z,false"
    )
    write(
        data / "gateway_part2.csv",
        GATEWAY,
        f"G2,T1,{BIG},CNY,{BIG},SUCCESS,2024-03-15T10:00:01Z,false",
    )

    assert run(data, tmp_path) == ExitCode.FAILED

    line = one_clear_line(capsys.readouterr().err)
    assert "txn_ref T1: DUPLICATE_DEBIT/GATEWAY_DOUBLE_CHARGE compensation" in line
    assert "does not fit DECIMAL(18,2)" in line
