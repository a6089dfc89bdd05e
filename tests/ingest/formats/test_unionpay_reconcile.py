"""End to end through `recon run`: the real UnionPay reconciliation zip as the gateway
extract; books that mirror its eight payments reconcile clean."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from tests.ingest.helpers import CHANNEL, LEDGER

ZIP = (
    Path(__file__).resolve().parents[4]
    / "shared" / "external" / "unionpay-acp-sample" / "802310048993424_20150905.zip"
)  # fmt: skip
pytestmark = pytest.mark.skipif(not ZIP.is_file(), reason="../shared/external is not here")


def payments() -> list[tuple[str, str, str]]:
    """(order, amount in yuan, time) of each detail record, sliced plainly from the file."""
    with zipfile.ZipFile(ZIP) as archive:
        name = next(n for n in archive.namelist() if n.startswith("INN"))
        lines = archive.read(name).splitlines()
    found = []
    for raw in lines:
        text = raw.decode("ascii")
        when = text[87:91] + "-" + text[35:37] + "-" + text[37:39] + "T"  # year from the query id
        when += f"{text[39:41]}:{text[41:43]}:{text[43:45]}+08:00"
        found.append((text[112:144].strip(), str(Decimal(text[66:78]) / 100), when))
    return found


def test_books_that_mirror_the_unionpay_zip_reconcile_clean(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    ledger, channel = [LEDGER], [CHANNEL]
    for n, (order, amount, at) in enumerate(payments()):
        ledger += [
            f"E{n}D,{order},AC{n},D,{amount},CNY,POSTED,{at},R{n},",
            f"E{n}C,{order},CLEARING-UP,C,{amount},CNY,POSTED,{at},R{n},",
        ]
        channel.append(f"R{n},,POS,CU{n},AC{n},MERCHANT,{amount},CNY,{at},SUCCESS,,{order}")
    (data / "ledger.csv").write_text("\n".join(ledger) + "\n", encoding="utf-8")
    (data / "channel.csv").write_text("\n".join(channel) + "\n", encoding="utf-8")
    (data / ZIP.name).symlink_to(ZIP)
    config = tmp_path / "recon.toml"
    config.write_text(
        'clearing_accounts = ["CLEARING-UP"]\n[sources.gateway]\nformat = "unionpay-acp"\n'
        'files = "802310048993424_*"\n',
        encoding="utf-8",
    )
    code = main(
        [
            "run", "--quiet", "--data-dir", str(data), "--out", str(tmp_path / "out"),
            "--store", str(tmp_path / "store.duckdb"), "--config", str(config),
            "--cutoff", "2015-09-07T00:00:00+08:00",
        ]
    )  # fmt: skip
    assert code == ExitCode.CLEAN
    with (tmp_path / "out" / "exceptions.csv").open(encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == []
