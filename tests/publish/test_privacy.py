"""Masking of account and customer ids, and the raw quarantined line, in what recon shares."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from recon.cli import main
from recon.config import PrivacyPolicy, load_config
from recon.errors import ConfigError
from recon.privacy import install_mask, mask_id
from recon.publish import write_failure, write_outputs
from recon.publish.exports import write_exports
from recon.publish.report import render_report
from recon.publish.report_data import report_data

from .tables import create_empty_tables, exception_row, finding_row, insert, run_summary

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "data"
ACCOUNT = "AC0000000224"
CUSTOMER = "CUST00098765"
CARD = "4111111111111111"
RAW_LINE = f"E9,T9,AC0000000609,D,10.00,CNY,POSTED,2024-03-15T00:00:25Z,R9,,{CARD},JOHN SMITH"
AT = datetime(2024, 3, 15, 11, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ACCOUNT, "AC******0224"),
        ("C00000350", "C0******0350"),
        ("12345678", "12******5678"),
        ("1234567", "******"),
        ("C1", "******"),
        ("", ""),
        (None, None),
        ("ab🦆cdéfgh", "ab******éfgh"),
    ],
)
def test_python_and_sql_mask_an_id_the_same_way(con, value, masked):
    install_mask(con)
    assert mask_id(value) == masked
    assert con.execute("SELECT mask_id(?, true)", [value]).fetchone()[0] == masked
    assert con.execute("SELECT mask_id(?, false)", [value]).fetchone()[0] == value


def test_privacy_masks_shared_artefacts_and_keeps_exports_full_by_default():
    assert load_config(None).privacy == PrivacyPolicy(mask=True, mask_exports=False)


def test_privacy_table_is_read_and_unknown_keys_or_non_booleans_are_errors(tmp_path):
    path = tmp_path / "recon.toml"
    path.write_text("[privacy]\nmask = false\nmask_exports = true\n", encoding="utf-8")
    assert load_config(path).privacy == PrivacyPolicy(mask=False, mask_exports=True)
    path.write_text("[privacy]\nmaks = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"recon.toml: \[privacy\]: unknown key\(s\) \['maks'\]"):
        load_config(path)
    path.write_text('[privacy]\nmask = "false"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[privacy\] mask must be true or false"):
        load_config(path)


@pytest.fixture
def named(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """One open case of a customer and account with long ids, owed compensation, and one
    quarantined line that holds a card number in a column outside the contract."""
    create_empty_tables(con)
    row = list(exception_row("EX-1", "HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "T1", "500.00"))
    row[5], row[6] = CUSTOMER, ACCOUNT
    insert(con, "exceptions", [row])
    insert(
        con,
        "findings",
        [finding_row("EX-1", "HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "T1", "500.00", AT)],
    )
    insert(
        con, "corrections", [("CR-1", "EX-1", "T1", ACCOUNT, "C", Decimal("500.00"), "CNY", "x")]
    )
    insert(con, "compensation", [(CUSTOMER, "CNY", Decimal("0.07"), "EX-1")])
    insert(
        con,
        "quarantine",
        [
            ("ledger", "ledger.csv", 9, None, RAW_LINE, "malformed row: too many fields"),
            ("ledger", "ledger.csv", 11, "account_id", ACCOUNT, "key with control characters"),
        ],
    )
    return con


def test_report_masks_account_and_customer_ids_by_default(named, tmp_path):
    write_outputs(tmp_path, named, run_summary())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert CUSTOMER not in html
    assert ACCOUNT not in html
    assert "CU******8765" in html  # largest cases and top customers
    assert "AC******0224" in html  # largest cases and the quarantine example


def test_report_shows_full_ids_when_masking_is_off(named):
    html = render_report(report_data(named, run_summary(), mask=False))
    assert CUSTOMER in html
    assert ACCOUNT in html


@pytest.mark.parametrize("mask", [True, False])
def test_the_raw_quarantined_line_is_never_in_the_report_only_its_hash(named, tmp_path, mask):
    write_outputs(tmp_path, named, run_summary(), PrivacyPolicy(mask=mask))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert CARD not in html
    assert "JOHN SMITH" not in html
    assert "line not shown" in html


def test_quarantine_csv_keeps_a_malformed_line_only_as_its_sha256(named, tmp_path):
    write_outputs(tmp_path, named, run_summary(), PrivacyPolicy(mask=False))
    with (tmp_path / "quarantine.csv").open(newline="", encoding="utf-8") as fh:
        rows = {row["line"]: row for row in csv.DictReader(fh)}
    digest = hashlib.sha256(RAW_LINE.encode("utf-8")).hexdigest()
    assert rows["9"]["value"] == f"sha256:{digest}"
    assert rows["11"]["value"] == ACCOUNT  # an export for analysts: full unless mask_exports
    assert CARD not in (tmp_path / "quarantine.csv").read_text(encoding="utf-8")


def test_a_failed_run_keeps_the_raw_line_out_of_its_report_and_quarantine_csv(named, tmp_path):
    paths = write_failure(tmp_path, named, run_summary(error="too many bad rows"))
    for name in ("report.html", "quarantine.csv"):
        assert CARD not in paths[name].read_text(encoding="utf-8")


def test_exports_for_analysts_stay_full_by_default(named, tmp_path):
    write_outputs(tmp_path, named, run_summary())
    for name in ("exceptions.csv", "corrections.csv", "compensation.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert CUSTOMER in text or ACCOUNT in text, name
    table = pq.read_table(tmp_path / "exceptions.parquet").to_pylist()
    assert (table[0]["customer_id"], table[0]["account_id"]) == (CUSTOMER, ACCOUNT)


def test_mask_exports_masks_every_export(named, tmp_path):
    write_exports(tmp_path, named, mask=True)
    for name in ("exceptions.csv", "corrections.csv", "compensation.csv", "quarantine.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert CUSTOMER not in text, name
        assert ACCOUNT not in text, name
    assert "CU******8765" in (tmp_path / "compensation.csv").read_text(encoding="utf-8")
    table = pq.read_table(tmp_path / "exceptions.parquet").to_pylist()
    assert (table[0]["customer_id"], table[0]["account_id"]) == ("CU******8765", "AC******0224")


@pytest.fixture(scope="module")
def carded_run(tmp_path_factory) -> Path:
    """`recon run` over a small day (from the sample) whose ledger has one malformed line with
    a card number and a name in columns outside the contract."""
    root = tmp_path_factory.mktemp("carded")
    data = root / "data"
    data.mkdir()
    for source in ("ledger", "channel", "gateway"):
        lines = (SAMPLE / f"{source}.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (data / f"{source}.csv").write_text("".join(lines[:301]), encoding="utf-8")
    with (data / "ledger.csv").open("a", encoding="utf-8") as fh:
        fh.write(RAW_LINE + "\n")
    code = main(
        [
            "run", "--quiet", "--data-dir", str(data), "--out", str(root / "out"),
            "--store", str(root / "store.duckdb"), "--cutoff", "2024-03-16T00:00:00+00:00",
        ]
    )  # fmt: skip
    assert code == 1
    return root


def test_a_card_number_in_a_malformed_line_appears_nowhere_in_out(carded_run):
    out = carded_run / "out"
    assert "malformed row" in (out / "quarantine.csv").read_text(encoding="utf-8")
    for path in out.rglob("*"):
        if path.is_file():
            assert CARD.encode() not in path.read_bytes(), path.name
            assert b"JOHN SMITH" not in path.read_bytes(), path.name


def test_exceptions_export_is_full_unless_mask_is_given(carded_run, tmp_path):
    store = str(carded_run / "store.duckdb")
    base = ["exceptions", "export", "--store", store, "--format", "csv"]
    assert main([*base, "--output", str(tmp_path / "full.csv")]) == 0
    assert main([*base, "--output", str(tmp_path / "masked.csv"), "--mask"]) == 0
    with (tmp_path / "full.csv").open(newline="", encoding="utf-8") as fh:
        full = list(csv.DictReader(fh))
    with (tmp_path / "masked.csv").open(newline="", encoding="utf-8") as fh:
        masked = list(csv.DictReader(fh))
    assert len(full) == len(masked) > 0
    for a, b in zip(full, masked, strict=True):
        assert b["customer_id"] == mask_id(a["customer_id"])
        assert b["account_id"] == mask_id(a["account_id"])
    assert any(row["account_id"].startswith("AC0") for row in full)
    assert not any(row["account_id"].startswith("AC0") for row in masked)


def test_a_malformed_line_hashes_the_same_whatever_its_line_end(con, tmp_path):
    """A CRLF file's reject is stored with a stray line end; the hash is of the line alone."""
    create_empty_tables(con)
    insert(
        con,
        "quarantine",
        [
            ("ledger", "lf.csv", 9, None, RAW_LINE, "malformed row: too many fields"),
            ("ledger", "crlf.csv", 9, None, "\n" + RAW_LINE + "\r", "malformed row: too many"),
        ],
    )
    write_exports(tmp_path, con)
    with (tmp_path / "quarantine.csv").open(newline="", encoding="utf-8") as fh:
        values = {row["value"] for row in csv.DictReader(fh)}
    assert values == {"sha256:" + hashlib.sha256(RAW_LINE.encode("utf-8")).hexdigest()}
