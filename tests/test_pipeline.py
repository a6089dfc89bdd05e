"""`recon run` end to end: the public scenario scores 100%, reruns are quiet, bad input exits 2."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recon.cli import main
from recon.exit_codes import ExitCode

CUTOFF = "2024-03-16T00:00:00+00:00"


def run_public(scenario: Path, out: Path, store: Path, data: Path | None = None) -> int:
    return main(
        [
            "run", "--quiet",
            "--data-dir", str(data or scenario / "data"),
            "--out", str(out),
            "--store", str(store),
            "--config", str(scenario / "recon.toml"),
            "--cutoff", CUTOFF,
        ]
    )  # fmt: skip


def exception_ids(out: Path) -> set[str]:
    with (out / "exceptions.csv").open(encoding="utf-8") as fh:
        return {row["exception_id"] for row in csv.DictReader(fh)}


def test_public_scenario_scores_a_pass(public_scenario, tmp_path):
    code = run_public(public_scenario, tmp_path / "out", tmp_path / "store.duckdb")
    assert code == ExitCode.FINDINGS
    score = subprocess.run(
        [sys.executable, str(public_scenario.parent / "score.py"),
         "--out", str(tmp_path / "out"), "--truth", str(public_scenario / "truth")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert score.returncode == 0, score.stdout[-3000:]
    assert "pass=true" in score.stdout


def test_rerun_of_the_same_data_keeps_every_id_and_heals_nothing(public_scenario, tmp_path):
    store = tmp_path / "store.duckdb"
    run_public(public_scenario, tmp_path / "first", store)
    run_public(public_scenario, tmp_path / "second", store)
    assert exception_ids(tmp_path / "first") == exception_ids(tmp_path / "second")
    second = json.loads((tmp_path / "second" / "summary.json").read_text(encoding="utf-8"))
    assert second["healed"] == []
    assert second["new"] == []


def test_a_truncated_extract_stops_the_run_and_changes_no_finding(public_scenario, tmp_path):
    store = tmp_path / "store.duckdb"
    run_public(public_scenario, tmp_path / "first", store)
    data = tmp_path / "data"
    shutil.copytree(public_scenario / "data", data)
    ledger = data / "ledger_part2.csv"
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:-40]) + lines[-40][:25])  # cut mid-write

    code = run_public(public_scenario, tmp_path / "failed", store, data=data)

    assert code == ExitCode.FAILED
    # OUT was never written; the failure report lands beside it
    assert not (tmp_path / "failed").exists()
    summary = json.loads((tmp_path / "failed.failed" / "summary.json").read_text(encoding="utf-8"))
    assert "ledger_part2.csv" in summary["error"]
    assert not (tmp_path / "failed.failed" / "exceptions.csv").exists()
    run_public(public_scenario, tmp_path / "after", store)
    assert exception_ids(tmp_path / "after") == exception_ids(tmp_path / "first")


def test_a_missing_required_extract_is_exit_2_naming_it(public_scenario, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(public_scenario / "data", data)
    (data / "gateway.csv").unlink()
    code = run_public(public_scenario, tmp_path / "out", tmp_path / "s.duckdb", data=data)
    assert code == ExitCode.FAILED
    assert "gateway" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["--cutoff", "--memory-limit"])
def test_a_bad_option_value_is_exit_2_with_a_message(public_scenario, tmp_path, capsys, bad):
    value = {"--cutoff": "yesterday", "--memory-limit": "lots"}[bad]
    code = main(
        ["run", "--quiet", "--data-dir", str(public_scenario / "data"),
         "--out", str(tmp_path / "out"), "--store", str(tmp_path / "s.duckdb"), bad, value]
    )  # fmt: skip
    assert code == ExitCode.FAILED
    assert value in capsys.readouterr().err


def test_too_many_bad_rows_stops_the_run_but_reports_the_accounting(public_scenario, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(public_scenario / "data", data)
    for sidecar in data.glob("*.control.json"):
        sidecar.unlink()
    gateway = data / "gateway.csv"
    lines = gateway.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = [line.replace(",SUCCESS,", ",DONE,") for line in lines[1:101]]
    gateway.write_text("".join([lines[0], *broken, *lines[101:]]), encoding="utf-8")

    code = run_public(public_scenario, tmp_path / "out", tmp_path / "s.duckdb", data=data)

    assert code == ExitCode.FAILED
    summary = json.loads((tmp_path / "out.failed" / "summary.json").read_text(encoding="utf-8"))
    assert "max_bad_ratio" in summary["error"]
    rows = summary["rows"]["gateway"]
    assert rows["read"] == rows["valid"] + rows["quarantined"] + rows["exact_duplicates"]
    assert rows["quarantined"] >= 90
    with (tmp_path / "out.failed" / "quarantine.csv").open(encoding="utf-8") as fh:
        reasons = {row["reason"] for row in csv.DictReader(fh) if row["source"] == "gateway"}
    assert any("status" in reason for reason in reasons)
