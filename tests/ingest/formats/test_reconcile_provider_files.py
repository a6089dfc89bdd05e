"""End to end through `recon run`: a provider's own file as the gateway extract.

For the real FI camt.053 sample and the Adyen report written from Adyen's columns, a ledger
and channel built from the file's payments reconcile clean; the same ledger with four
injected breaks finds exactly those four; a file whose own total is tampered stops the run
(exit 2) naming both figures."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.ingest.formats import FORMATS
from recon.ingest.formats.options import FormatOptions
from tests.ingest.formats.adyen_sample import HEADER, batch_42, line, write_report
from tests.ingest.helpers import CHANNEL, LEDGER

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "external" / "iso20022-moov"
FI_053 = SAMPLES / "FI_camt_053_sample.xml.xml"
CLEARING = "CLEARING-1"


def payments(path: Path, fmt: str) -> list[dict[str, str]]:
    """The file's SUCCESS payments as its reader gives them: what our books should mirror."""
    extract = FORMATS[fmt].read(path, FormatOptions())
    return [dict(r.fields) for r in extract.records if r.fields["status"] == "SUCCESS"]


def books(paid: Sequence[dict[str, str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Ledger legs (customer debit, clearing credit) and channel requests for each payment."""
    ledger, channel = [], []
    for n, p in enumerate(paid, 1):
        amount, ccy, at, ref = p["amount"], p["currency"], p["gateway_at"], p["txn_ref"]
        ledger.append([f"E{n}D", ref, f"CUST{n}", "D", amount, ccy, "POSTED", at, f"R{n}", ""])
        ledger.append([f"E{n}C", ref, CLEARING, "C", amount, ccy, "POSTED", at, f"R{n}", ""])
        channel.append([f"R{n}", "", "APP", f"C{n}", f"CUST{n}", "PAYEE", amount, ccy, at,
                        "SUCCESS", "", ref])  # fmt: skip
    return ledger, channel


def write_csv(path: Path, header: str, rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        csv.writer(out, lineterminator="\n").writerows(rows)


def run(tmp_path: Path, data: Path, fmt: str, cutoff: str, min_date: str) -> tuple[int, Path]:
    config = tmp_path / "recon.toml"
    config.write_text(
        f'clearing_accounts = ["{CLEARING}"]\nmin_date = {min_date}\n'
        f'[sources.gateway]\nformat = "{fmt}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(
        ["run", "--quiet", "--data-dir", str(data), "--out", str(out), "--config", str(config),
         "--store", str(tmp_path / "store.duckdb"), "--cutoff", cutoff]
    )  # fmt: skip
    return code, out


def findings(out: Path) -> set[tuple[str, str, str]]:
    with (out / "exceptions.csv").open(encoding="utf-8") as fh:
        return {(r["type"], r["subtype"], r["txn_ref"]) for r in csv.DictReader(fh)}


def break_books(
    ledger: list[list[str]], channel: list[list[str]]
) -> tuple[list[list[str]], list[list[str]], set[tuple[str, str, str]]]:
    """Four breaks on the first four transfers, and the findings they must give."""
    refs = [ledger[i][1] for i in range(0, 8, 2)]
    broken = [row[:] for row in ledger]
    broken[1] = []  # first transfer: its credit leg never posted
    broken[2][4] = broken[3][4] = "999.99"  # second: booked for another amount than paid
    broken[4] = broken[5] = []  # third: never booked (nor requested)
    broken.append(["E4D2", *broken[6][1:]])  # fourth: the debit booked twice
    requests = [row for row in channel if row[0] != "R3"]
    expected = {
        ("HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", refs[0]),
        ("AMOUNT_MISMATCH", "LEDGER_GATEWAY", refs[1]),
        ("HALF_COMPLETED", "GATEWAY_NOT_BOOKED", refs[2]),
        ("DUPLICATE_DEBIT", "SAME_REQUEST", refs[3]),
    }
    return [row for row in broken if row], requests, expected


CASES = {
    "camt053": ("2009-10-30T12:00:00Z", "2009-01-01"),
    "adyen-settlement-detail": ("2024-03-16T00:00:00Z", "2024-01-01"),
}


def provider_file(fmt: str, folder: Path) -> Path:
    if fmt == "camt053":
        if not FI_053.exists():
            pytest.skip("../shared/external is not beside this checkout")
        return Path(shutil.copy(FI_053, folder / "gateway_statement.xml"))
    return write_report(folder / "gateway_batch_42.csv")


@pytest.fixture(params=sorted(CASES))
def delivery(request: pytest.FixtureRequest, tmp_path: Path):
    fmt = request.param
    data = tmp_path / "data"
    data.mkdir()
    gateway = provider_file(fmt, data)
    ledger, channel = books(payments(gateway, fmt))
    return fmt, data, gateway, ledger, channel


def test_books_built_from_the_provider_file_reconcile_clean(delivery, tmp_path: Path) -> None:
    fmt, data, _gateway, ledger, channel = delivery
    write_csv(data / "ledger.csv", LEDGER, ledger)
    write_csv(data / "channel.csv", CHANNEL, channel)
    code, out = run(tmp_path, data, fmt, *CASES[fmt])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert code == ExitCode.CLEAN, summary.get("error")
    assert findings(out) == set()
    assert summary["rows"]["gateway"]["quarantined"] == 0


def test_the_same_books_with_injected_breaks_find_exactly_them(delivery, tmp_path: Path) -> None:
    fmt, data, _gateway, ledger, channel = delivery
    broken, requests, expected = break_books(ledger, channel)
    write_csv(data / "ledger.csv", LEDGER, broken)
    write_csv(data / "channel.csv", CHANNEL, requests)
    code, out = run(tmp_path, data, fmt, *CASES[fmt])
    assert code == ExitCode.FINDINGS
    assert findings(out) == expected


def tamper(fmt: str, gateway: Path) -> str:
    """Change one total the file states; return the figure the error must name."""
    if fmt == "camt053":
        text = gateway.read_text(encoding="utf-8")
        gateway.write_text(text.replace("<Sum>9430.17</Sum>", "<Sum>9430.71</Sum>"), "utf-8")
        return (
            "its own total /Document/BkToCstmrStmt/Stmt[1]/TxsSummry/TtlDbtNtries/Sum is 9430.71"
            " but its rows add up to 9430.17"
        )
    rows = batch_42()
    rows[-1] = line("MerchantPayout", modification="TX3456789012XT", net_debit="419.03")
    assert rows[-1][HEADER.index("Net Debit (NC)")] == "419.03"
    write_report(gateway, rows)
    return "is 419.03 but its rows add up to 409.03"


def test_a_tampered_total_stops_the_run_naming_both_figures(delivery, tmp_path: Path) -> None:
    fmt, data, gateway, ledger, channel = delivery
    write_csv(data / "ledger.csv", LEDGER, ledger)
    write_csv(data / "channel.csv", CHANNEL, channel)
    named = tamper(fmt, gateway)
    code, out = run(tmp_path, data, fmt, *CASES[fmt])
    failed = out.with_name(out.name + ".failed")  # a run that stops publishes nothing
    summary = json.loads((failed / "summary.json").read_text(encoding="utf-8"))
    assert code == ExitCode.FAILED
    assert named in summary["error"]


def test_a_bad_entry_is_quarantined_at_its_element_path(tmp_path: Path) -> None:
    """An information-only entry (Sts INFO, no default mapping) is quarantined by the
    contract's status rule, placed at the statement's own element."""
    data = tmp_path / "data"
    data.mkdir()
    template = """<Ntry><NtryRef>{ref}</NtryRef><Amt Ccy="EUR">{amount}</Amt>
      <CdtDbtInd>DBIT</CdtDbtInd><Sts>{status}</Sts><BookgDt><Dt>2024-03-15</Dt></BookgDt></Ntry>"""
    entries = template.format(ref="T1", amount="10.00", status="BOOK") + template.format(
        ref="T2", amount="5.00", status="INFO"
    )
    (data / "gateway_stmt.xml").write_text(
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04">'
        f"<BkToCstmrStmt><Stmt><Id>S1</Id>{entries}</Stmt></BkToCstmrStmt></Document>",
        encoding="utf-8",
    )
    ledger, channel = books(payments(data / "gateway_stmt.xml", "camt053"))
    write_csv(data / "ledger.csv", LEDGER, ledger)
    write_csv(data / "channel.csv", CHANNEL, channel)
    config = tmp_path / "recon.toml"
    config.write_text(
        f'clearing_accounts = ["{CLEARING}"]\nmax_bad_ratio = 0.5\n'
        '[sources.gateway]\nformat = "camt053"\n',
        encoding="utf-8",
    )
    code = main(
        ["run", "--quiet", "--data-dir", str(data), "--out", str(tmp_path / "out"),
         "--config", str(config), "--store", str(tmp_path / "store.duckdb"),
         "--cutoff", "2024-03-16T00:00:00Z"]
    )  # fmt: skip
    assert code == ExitCode.CLEAN
    with (tmp_path / "out" / "quarantine.csv").open(encoding="utf-8") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["source"] == "gateway"
    assert row["file"].endswith("gateway_stmt.xml#/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]")
    assert (row["column"], row["value"]) == ("status", "INFO")
