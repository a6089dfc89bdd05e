"""End to end through `recon run`: the real WeChat Pay trade bill as the gateway extract.

A ledger and channel built from the bill's payments reconcile clean; the same books with
three injected breaks find exactly those three; the bill with a tampered footer stops the
run (exit 2) naming both figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from tests.ingest.helpers import CHANNEL, LEDGER

BILL = (
    Path(__file__).resolve().parents[4]
    / "shared" / "external" / "wechatpay-gunsluo" / "tradebill_ALL_2021-01-28.csv"
)  # fmt: skip
pytestmark = pytest.mark.skipif(not BILL.is_file(), reason="../shared/external is not here")
CONFIG = """timezone = "Asia/Shanghai"
clearing_accounts = ["CLEARING-WX"]
[sources.gateway]
format = "wechatpay-tradebill"
files = "tradebill_*"
"""
CUTOFF = "2021-01-29T00:00:00+08:00"


def bill_payments() -> list[dict[str, str]]:
    """The bill's payment rows read plainly (not through recon): order, amount, time."""
    with BILL.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    found = []
    for row in rows[1:]:
        values = dict(zip(header, (cell.removeprefix("`") for cell in row), strict=False))
        if values.get("交易状态") == "SUCCESS":
            found.append(values)
    return found


def books(payments: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """A debit to the customer and a credit to the clearing account per payment, and the
    channel request that asked for it."""
    ledger, channel = [], []
    for n, p in enumerate(payments):
        ref, amount = p["商户订单号"], p["订单金额"]
        at = p["交易时间"].replace(" ", "T") + "+08:00"
        ledger += [
            f"E{n}D,{ref},AC{n},D,{amount},CNY,POSTED,{at},R{n},",
            f"E{n}C,{ref},CLEARING-WX,C,{amount},CNY,POSTED,{at},R{n},",
        ]
        channel.append(f"R{n},,APP,CU{n},AC{n},MERCHANT,{amount},CNY,{at},SUCCESS,,{ref}")
    return ledger, channel


def run(tmp_path: Path, ledger: list[str], channel: list[str], bill: Path = BILL) -> int:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ledger.csv").write_text("\n".join([LEDGER, *ledger]) + "\n", encoding="utf-8")
    (data / "channel.csv").write_text("\n".join([CHANNEL, *channel]) + "\n", encoding="utf-8")
    (data / BILL.name).symlink_to(bill)  # read where it is: the sample is not copied
    config = tmp_path / "recon.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return main(
        [
            "run", "--quiet", "--data-dir", str(data), "--out", str(tmp_path / "out"),
            "--store", str(tmp_path / "store.duckdb"), "--config", str(config),
            "--cutoff", CUTOFF,
        ]
    )  # fmt: skip


def findings(tmp_path: Path) -> set[tuple[str, str, str]]:
    with (tmp_path / "out" / "exceptions.csv").open(encoding="utf-8") as handle:
        return {(r["type"], r["subtype"], r["txn_ref"]) for r in csv.DictReader(handle)}


def test_books_that_mirror_the_real_bill_reconcile_clean(tmp_path):
    ledger, channel = books(bill_payments())
    assert run(tmp_path, ledger, channel) == ExitCode.CLEAN
    assert findings(tmp_path) == set()


def test_the_same_books_with_three_injected_breaks_find_exactly_them(tmp_path):
    payments = bill_payments()
    first, second = payments[0]["商户订单号"], payments[1]["商户订单号"]
    ledger, channel = books(payments)
    ledger = [e for e in ledger if f",{first}," not in e]  # never booked
    channel = [c for c in channel if not c.endswith(first)]
    ledger = [e.replace(",0.01,", ",0.02,") if f",{second}," in e else e for e in ledger]
    at = "2021-01-28T12:00:00+08:00"  # booked to clearing, never reached the gateway
    ledger += [
        f"E9D,T-LOST,AC9,D,5.00,CNY,POSTED,{at},R9,",
        f"E9C,T-LOST,CLEARING-WX,C,5.00,CNY,POSTED,{at},R9,",
    ]
    channel.append(f"R9,,APP,CU9,AC9,MERCHANT,5.00,CNY,{at},SUCCESS,,T-LOST")
    assert run(tmp_path, ledger, channel) == ExitCode.FINDINGS
    assert findings(tmp_path) == {
        ("HALF_COMPLETED", "GATEWAY_NOT_BOOKED", first),
        ("AMOUNT_MISMATCH", "LEDGER_GATEWAY", second),
        ("HALF_COMPLETED", "BOOKED_GATEWAY_FAILED", "T-LOST"),
    }


def test_the_bill_with_a_tampered_footer_stops_the_run(tmp_path, capsys):
    text = BILL.read_text(encoding="utf-8-sig").replace("`3,`0.03", "`4,`0.03")
    tampered = tmp_path / "tampered.csv"
    tampered.write_text(text, encoding="utf-8")
    ledger, channel = books(bill_payments())
    assert run(tmp_path, ledger, channel, bill=tampered) == ExitCode.FAILED
    message = capsys.readouterr().err
    assert "its own total footer 总交易单数 (trades) is 4 but its rows add up to 3" in message
