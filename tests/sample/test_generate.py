"""The sample-data generator: deterministic, complete, and honest about what it wrote."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from recon.config import load_config
from recon.errors import ConfigError
from recon.sample.artefacts import KEYS
from recon.sample.generate import generate

DAY = date(2024, 3, 15)
SOURCES = ("ledger", "channel", "gateway", "invoices")
SUBTYPES = {
    "DUPLICATE_DEBIT/SAME_REQUEST",
    "DUPLICATE_DEBIT/SUSPECTED_RETRY",
    "DUPLICATE_DEBIT/GATEWAY_DOUBLE_CHARGE",
    "HALF_COMPLETED/DEBIT_WITHOUT_CREDIT",
    "HALF_COMPLETED/STUCK_PENDING",
    "HALF_COMPLETED/BOOKED_GATEWAY_FAILED",
    "HALF_COMPLETED/GATEWAY_NOT_BOOKED",
    "HALF_COMPLETED/CHANNEL_SUCCESS_NOT_BOOKED",
    "HALF_COMPLETED/CHANNEL_FAILED_BUT_BOOKED",
    "AMOUNT_MISMATCH/LEDGER_GATEWAY",
    "INVOICE/MISSING",
    "INVOICE/AMOUNT_MISMATCH",
    "INVOICE/ON_FAILED_PAYMENT",
    "INVOICE/DUPLICATE",
}


def rows_of(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh))


def source_rows(data_dir: Path, source: str) -> list[dict[str, str]]:
    """All rows of a source, files in name order (the contract's file order)."""
    return [r for f in sorted(data_dir.glob(f"{source}*.csv")) for r in rows_of(f)]


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("day")
    return generate(
        out, transfers=400, seed=11, business_date=DAY, parts=2, exact_duplicates=8, bad_rows=8
    )


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", transfers=300, seed=5, business_date=DAY, exact_duplicates=4)
    second = generate(tmp_path / "b", transfers=300, seed=5, business_date=DAY, exact_duplicates=4)
    names = sorted(p.name for p in first.data_dir.iterdir())
    assert names == sorted(p.name for p in second.data_dir.iterdir())
    for name in names:
        assert (first.data_dir / name).read_bytes() == (second.data_dir / name).read_bytes(), name
    assert (first.truth_dir / "truth.csv").read_bytes() == (
        second.truth_dir / "truth.csv"
    ).read_bytes()


def test_another_seed_writes_another_day(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", transfers=300, seed=5, business_date=DAY)
    second = generate(tmp_path / "b", transfers=300, seed=6, business_date=DAY)
    assert (first.data_dir / "ledger.csv").read_bytes() != (
        second.data_dir / "ledger.csv"
    ).read_bytes()


def test_writes_every_source_in_parts_with_sidecars(day) -> None:
    names = {p.name for p in day.data_dir.iterdir()}
    for source in SOURCES:
        for name in (f"{source}.csv", f"{source}_part2.csv"):
            assert name in names
            assert f"{name}.control.json" in names
    assert (day.truth_dir / "truth.csv").exists()
    assert (day.truth_dir / "truth.json").exists()
    assert day.config_path.read_text(encoding="utf-8").count("cutoff") == 1


def test_sidecars_count_every_row_and_sum_every_parseable_amount(day) -> None:
    for path in sorted(day.data_dir.glob("*.csv")):
        rows = rows_of(path)
        amounts = []
        for row in rows:
            try:
                amounts.append(Decimal(row["amount"]))
            except ArithmeticError:
                pass  # an unparseable amount is left out of amount_sum
        sidecar = json.loads(path.with_name(path.name + ".control.json").read_text("utf-8"))
        assert sidecar == {"rows": len(rows), "amount_sum": f"{sum(amounts, Decimal(0)):.2f}"}


def test_row_accounting_adds_up_to_the_rows_written(day) -> None:
    truth = json.loads((day.truth_dir / "truth.json").read_text("utf-8"))
    for source in SOURCES:
        counts = truth["rows"][source]
        assert counts["read"] == len(source_rows(day.data_dir, source))
        assert (
            counts["read"] == counts["valid"] + counts["quarantined"] + counts["exact_duplicates"]
        )
        assert day.rows[source].balanced


def test_exact_duplicates_are_written_as_asked_and_cross_files(day) -> None:
    total = 0
    for source in SOURCES:
        files = sorted(day.data_dir.glob(f"{source}*.csv"))
        per_file = [Counter(tuple(r.values()) for r in rows_of(f)) for f in files]
        everywhere = sum(per_file, Counter())
        extra = sum(n - 1 for n in everywhere.values() if n > 1)
        assert extra == day.rows[source].exact_duplicates
        within_files = sum(n - 1 for c in per_file for n in c.values() if n > 1)
        assert within_files == 0  # with two parts every duplicate lands in the other file
        total += extra
    assert total == 8


def test_bad_rows_are_written_as_asked(day) -> None:
    bad = 0
    for source in SOURCES:
        key = KEYS[source]
        rows = source_rows(day.data_dir, source)
        fresh = sum(1 for r in rows if r[key].startswith("X"))
        missing = sum(1 for r in rows if not r[key])
        by_key = Counter(r[key] for r in rows if r[key])
        conflicts = sum(
            1
            for k, n in by_key.items()
            if n > 1 and len({tuple(r.values()) for r in rows if r[key] == k}) > 1
        )
        assert fresh + missing + conflicts == day.rows[source].quarantined
        bad += day.rows[source].quarantined
    assert bad == 8


def test_answer_key_names_every_finding_subtype(day) -> None:
    truth = rows_of(day.truth_dir / "truth.csv")
    assert {f"{r['type']}/{r['subtype']}" for r in truth} == SUBTYPES
    assert sum(day.findings.values()) == len(truth)


def test_injected_breaks_fall_in_the_outage(day) -> None:
    breaks = {r["txn_ref"] for r in rows_of(day.truth_dir / "truth.csv")}
    times = [
        r["requested_at"] for r in source_rows(day.data_dir, "channel") if r["txn_ref"] in breaks
    ]
    assert times
    assert min(times) >= "2024-03-15T11:20:00Z"
    assert max(times) < "2024-03-15T11:35:00Z"  # last retry of a chain a few minutes later


def test_debit_and_credit_legs_balance_outside_the_outage(day) -> None:
    legs: dict[str, Counter] = {}
    first = {}  # an entry's first row in file order; later copies are artefacts
    for row in source_rows(day.data_dir, "ledger"):
        first.setdefault(row["entry_id"], row)
    for row in first.values():
        if row["posted_at"] < "2024-03-15T11:00:00Z" and row["entry_id"].startswith("E"):
            legs.setdefault(row["txn_ref"], Counter())[row["direction"]] += Decimal(row["amount"])
    assert legs
    assert all(c["D"] == c["C"] for c in legs.values())


def test_gb18030_extract_decodes_as_gb18030_only(tmp_path: Path) -> None:
    result = generate(tmp_path, transfers=300, seed=2, business_date=DAY, encoding="gb18030")
    raw = (result.data_dir / "channel.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert "转账" in text or "工资" in text
    assert 'encoding = "gb18030"' in result.config_path.read_text("utf-8")


def test_parquet_extracts_carry_decimal_amounts_and_zoned_timestamps(tmp_path: Path, con) -> None:
    result = generate(tmp_path, transfers=300, seed=2, business_date=DAY, fmt="parquet")
    types = dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($p))",
            {"p": str(result.data_dir / "gateway.parquet")},
        ).fetchall()
    )
    assert types["amount"] == "DECIMAL(18,2)"
    assert types["gateway_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["invoice_required"] == "BOOLEAN"


def test_jsonl_extracts_hold_one_object_per_line(tmp_path: Path) -> None:
    result = generate(tmp_path, transfers=300, seed=2, business_date=DAY, fmt="jsonl")
    lines = (result.data_dir / "ledger.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == result.rows["ledger"].read
    assert set(json.loads(lines[0])) == {
        "entry_id",
        "txn_ref",
        "account_id",
        "direction",
        "amount",
        "currency",
        "status",
        "posted_at",
        "request_id",
        "reversal_of",
    }


def test_outage_too_close_to_the_cutoff_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outage start"):
        generate(tmp_path, transfers=300, seed=1, business_date=DAY, outage_start=time(23, 0))


def test_too_few_transfers_for_an_outage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="transfers must be at least"):
        generate(tmp_path, transfers=50, seed=1, business_date=DAY)


def test_encoding_for_non_csv_formats_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CSV only"):
        generate(tmp_path, transfers=300, seed=1, business_date=DAY, fmt="parquet", encoding="gbk")


def test_look_alikes_are_in_the_day_but_not_in_the_answer_key(day) -> None:
    """Reversals, refunds, voided invoices and in-flight legs are written, and none is a finding."""
    breaks = {r["txn_ref"] for r in rows_of(day.truth_dir / "truth.csv")}
    ledger = source_rows(day.data_dir, "ledger")
    reversed_refs = {r["txn_ref"] for r in ledger if r["reversal_of"]}
    refunded = {
        r["txn_ref"] for r in source_rows(day.data_dir, "gateway") if r["status"] == "REFUNDED"
    }
    in_flight = {
        r["txn_ref"]
        for r in ledger
        if r["status"] == "PENDING" and r["posted_at"] >= "2024-03-15T23:35:00Z"
    }
    for refs in (refunded, in_flight):
        assert refs
        assert not refs & breaks
    assert reversed_refs
    # a reversed debit with an ISSUED invoice is a break (ON_FAILED_PAYMENT); with a VOID one not
    voided = {r["txn_ref"] for r in source_rows(day.data_dir, "invoices") if r["status"] == "VOID"}
    assert reversed_refs & voided
    assert not (reversed_refs & voided) & breaks


def test_rerun_into_the_same_folder_leaves_no_stale_part(tmp_path: Path) -> None:
    generate(tmp_path, transfers=300, seed=1, business_date=DAY, parts=3)
    again = generate(tmp_path, transfers=300, seed=1, business_date=DAY, parts=1)
    assert sorted(p.name for p in again.data_dir.glob("ledger*")) == [
        "ledger.csv",
        "ledger.csv.control.json",
    ]


def test_renamed_columns_and_currency_alias_are_mapped_back_in_the_config(tmp_path: Path) -> None:
    result = generate(
        tmp_path,
        transfers=300,
        seed=3,
        business_date=DAY,
        currency_alias="RMB",
        columns={"gateway": {"txn_ref": "商户订单号"}},
    )
    gateway = rows_of(result.data_dir / "gateway.csv")
    assert "商户订单号" in gateway[0]
    assert "txn_ref" not in gateway[0]
    assert {r["currency"] for r in gateway} == {"RMB"}
    assert {r["currency"] for r in rows_of(result.data_dir / "ledger.csv")} == {"CNY"}
    config = load_config(result.config_path)
    assert config.source("gateway").columns == {"商户订单号": "txn_ref"}
    assert config.currency_aliases == {"RMB": "CNY"}


def test_truncated_extract_holds_fewer_rows_than_its_sidecar(tmp_path: Path) -> None:
    result = generate(tmp_path, transfers=300, seed=3, business_date=DAY, truncate="channel")
    path = result.data_dir / "channel.csv"
    sidecar = json.loads(path.with_name("channel.csv.control.json").read_text("utf-8"))
    rows = len(rows_of(path))
    assert rows == sidecar["rows"] - sidecar["rows"] // 10
    truth = json.loads((result.truth_dir / "truth.json").read_text("utf-8"))
    assert truth["expected_exit"] == 2
    assert truth["truncated"] == [{"file": "channel.csv", "rows_left": rows}]


def test_unknown_renamed_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gateway has no column"):
        generate(
            tmp_path, transfers=300, seed=1, business_date=DAY, columns={"gateway": {"x": "y"}}
        )


def test_jsonl_amounts_are_strings_in_one_file_and_numbers_in_the_next(tmp_path: Path) -> None:
    result = generate(tmp_path, transfers=300, seed=2, business_date=DAY, fmt="jsonl", parts=2)
    first = json.loads((result.data_dir / "gateway.jsonl").read_text("utf-8").splitlines()[0])
    second = json.loads(
        (result.data_dir / "gateway_part2.jsonl").read_text("utf-8").splitlines()[0]
    )
    assert isinstance(first["amount"], str)
    assert isinstance(second["amount"], float)
    assert isinstance(second["invoice_required"], bool | None)


def test_thousands_separator_groups_csv_amounts_and_the_sidecar_sum(tmp_path: Path) -> None:
    result = generate(tmp_path, transfers=300, seed=2, business_date=DAY, thousands_separator=",")
    amounts = [r["amount"] for r in rows_of(result.data_dir / "ledger.csv")]
    big = [a for a in amounts if Decimal(a.replace(",", "")) >= 1000]
    assert big
    assert all("," in a for a in big)
    sidecar = json.loads((result.data_dir / "ledger.csv.control.json").read_text("utf-8"))
    total = sum(Decimal(a.replace(",", "")) for a in amounts)
    assert sidecar["amount_sum"] == f"{total:,.2f}"
    assert load_config(result.config_path).thousands_separator == ","
