"""Outage-grade deliveries through `recon run`: an incomplete delivery stops the run naming the
file, an absent invoices extract means the invoice checks are not run, and a damaged day
heals nothing it cannot vouch for (CONTRACT.md sections 1 and 5)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.sample.generate import GenerationResult, generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GenerationResult:
    root = tmp_path_factory.mktemp("generated")
    return generate(
        root / "day", transfers=400, seed=4, business_date=date(2024, 3, 15), late_credits=True
    )


@pytest.fixture
def day(generated: GenerationResult, tmp_path: Path) -> Path:
    """A private copy of the generated day's data folder."""
    return Path(shutil.copytree(generated.data_dir, tmp_path / "data"))


def run(generated: GenerationResult, data: Path, out: Path, store: Path) -> int:
    return main(
        ["run", "--quiet", "--data-dir", str(data), "--out", str(out), "--store", str(store),
         "--config", str(generated.config_path)]
    )  # fmt: skip


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def exceptions(out: Path) -> list[dict[str, str]]:
    with (out / "exceptions.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def add_late_credits(generated: GenerationResult, data: Path) -> None:
    for late in (generated.root / "late").iterdir():
        shutil.copy(late, data / late.name)


# --- an incomplete delivery stops the run, naming the file


def test_a_sidecar_whose_file_did_not_arrive_stops_the_run(generated, day, tmp_path, capsys):
    (day / "ledger.csv").rename(day / "ledger_part1.csv")
    (day / "ledger.csv.control.json").rename(day / "ledger_part1.csv.control.json")
    (day / "ledger_part2.csv.control.json").write_text('{"rows": 1, "amount_sum": "1.00"}')
    assert run(generated, day, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    err = capsys.readouterr().err
    assert "ledger_part2.csv" in err
    assert "did not" in err
    assert not (tmp_path / "out").exists()


def test_a_gap_in_the_numbered_parts_stops_the_run(generated, day, tmp_path, capsys):
    shutil.copy(day / "ledger.csv", day / "ledger_part3.csv")  # part 2 never came
    assert run(generated, day, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "part 2 of the numbered sequence [1, 3] is missing" in capsys.readouterr().err


def test_a_header_only_required_extract_stops_the_run(generated, day, tmp_path, capsys):
    header = (day / "gateway.csv").read_text(encoding="utf-8").splitlines()[0]
    (day / "gateway.csv").write_text(header + "\n", encoding="utf-8")
    (day / "gateway.csv.control.json").unlink()
    assert run(generated, day, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    assert "gateway extract (gateway.csv) holds no data rows" in capsys.readouterr().err


# --- without invoices the invoice checks are not run


def test_without_invoices_no_invoice_finding_and_the_summary_says_why(generated, day, tmp_path):
    for path in day.glob("invoices*"):
        path.unlink()
    assert run(generated, day, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FINDINGS
    assert not [r for r in exceptions(tmp_path / "out") if r["type"] == "INVOICE"]
    assert set(summary(tmp_path / "out")["checks_not_run"]) == {"INVOICE"}
    assert "invoice checks were not run" in (tmp_path / "out" / "report.html").read_text("utf-8")


def test_a_day_without_invoices_heals_no_invoice_case(generated, day, tmp_path):
    store = tmp_path / "s.duckdb"
    run(generated, day, tmp_path / "first", store)
    invoice_cases = {r["exception_id"] for r in exceptions(tmp_path / "first")
                     if r["type"] == "INVOICE"}  # fmt: skip
    for path in day.glob("invoices*"):
        path.unlink()
    run(generated, day, tmp_path / "second", store)
    assert invoice_cases
    assert summary(tmp_path / "second")["healed"] == []
    still_open = {r["exception_id"] for r in exceptions(tmp_path / "second")}
    assert invoice_cases <= still_open


# --- healing needs positive evidence


def test_the_late_credits_heal_on_a_complete_day(generated, day, tmp_path):
    """The baseline the damaged cases below are measured against."""
    store = tmp_path / "s.duckdb"
    run(generated, day, tmp_path / "first", store)
    add_late_credits(generated, day)
    run(generated, day, tmp_path / "second", store)
    assert summary(tmp_path / "second")["healed"]
    assert summary(tmp_path / "second")["healing_withheld"] == {}


def test_a_malformed_line_withholds_every_healing(generated, day, tmp_path):
    store = tmp_path / "s.duckdb"
    run(generated, day, tmp_path / "first", store)
    add_late_credits(generated, day)
    (day / "channel.csv.control.json").unlink()
    with (day / "channel.csv").open("a", encoding="utf-8") as fh:
        fh.write("R-BROKEN,,APP\n")  # a line cut short: which transfer it was is unknown
    assert run(generated, day, tmp_path / "second", store) == ExitCode.FINDINGS
    after = summary(tmp_path / "second")
    assert after["healed"] == []
    assert "channel" in after["healing_withheld"]


def test_a_quarantined_row_keeps_its_own_transfer_from_healing(generated, day, tmp_path):
    store = tmp_path / "s.duckdb"
    run(generated, day, tmp_path / "first", store)
    add_late_credits(generated, day)
    run(generated, day, tmp_path / "healed", tmp_path / "reference.duckdb")
    late = next(day.glob("ledger_late*.csv"))
    rows = late.read_text(encoding="utf-8").splitlines()
    header, first = (
        rows[0].split(","),
        dict(zip(rows[0].split(","), rows[1].split(","), strict=True)),
    )
    damaged = {**first, "status": "BOOKED?"}  # the late credit of one transfer is unreadable
    rows[1] = ",".join(damaged[c] for c in header)
    late.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for sidecar in day.glob("ledger_late*.control.json"):
        sidecar.unlink()

    run(generated, day, tmp_path / "second", store)

    by_id = {r["exception_id"]: r for r in exceptions(tmp_path / "first")}
    healed = {by_id[i]["txn_ref"] for i in summary(tmp_path / "second")["healed"]}
    assert first["txn_ref"] not in healed
    assert healed  # the other transfers' credits still heal them
    assert summary(tmp_path / "second")["healing_withheld"] == {}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_file_cut_mid_record_stops_the_run_without_a_sidecar(tmp_path, capsys, fmt):
    made = generate(tmp_path / "day", transfers=200, seed=3, business_date=date(2024, 3, 15),
                    fmt=fmt, control_totals=False)  # fmt: skip
    ledger = made.data_dir / f"ledger.{fmt}"
    content = ledger.read_bytes()
    ledger.write_bytes(content[: len(content) // 2 - 7])  # cut inside a record
    assert run(made, made.data_dir, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FAILED
    err = capsys.readouterr().err
    assert f"ledger.{fmt}: ends in the middle of a record" in err
    assert "cut short" in err


def test_a_last_line_without_newline_that_is_whole_is_read(generated, day, tmp_path):
    ledger = day / "ledger.csv"
    ledger.write_bytes(ledger.read_bytes().rstrip(b"\n"))
    assert run(generated, day, tmp_path / "out", tmp_path / "s.duckdb") == ExitCode.FINDINGS
    assert summary(tmp_path / "out")["rows"]["ledger"]["quarantined"] == 0
