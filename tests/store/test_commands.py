"""`recon exceptions ...` through argparse, against a store filled by two small runs."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest

from recon.store import record_run
from recon.store.commands import main

from .builders import F, at, exceptions_by_id, load_findings, run_info, table_rows

AS_OF = (run_info(1).started_at + timedelta(hours=10)).isoformat()


@pytest.fixture
def filled(store, con):
    """T1 (small, customer C1), T2 (large, C2) and T3 (a gateway break) open after run 1."""
    con.execute(
        "CREATE TABLE ledger AS SELECT 'E1' AS entry_id, 'T1' AS txn_ref, 100.00::DECIMAL(18,2)"
        " AS amount, 'POSTED' AS status, 'ledger.csv' AS _file, 2::BIGINT AS _line"
    )
    load_findings(
        con,
        [
            F("T1", "100.00", evidence="ledger:E1"),
            F("T2", "25000.00", customer_id="C2"),
            F("T3", "500.00", type="HALF_COMPLETED", subtype="BOOKED_GATEWAY_FAILED"),
        ],
    )
    record_run(store, con, run_info(1), actor="nightly", now=at(1))
    return store


def run(capsys, *argv):
    code = main(["exceptions", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ids_in_csv(text):
    return sorted(row["exception_id"] for row in csv.DictReader(io.StringIO(text)))


def test_list_shows_open_exceptions_with_age_severity_and_sla(filled, capsys):
    code, out, _ = run(capsys, "list", "--store", str(filled), "--as-of", AS_OF)
    assert code == 0
    assert "3 exception(s)" in out
    for text in ("EX-DEBI-T1", "EX-BOOK-T3", "HIGH", "LOW", "severity", "sla_due_at", "assignee"):
        assert text in out


def test_list_filters_by_subtype(filled, capsys):
    _, out, _ = run(
        capsys, "list", "--store", str(filled), "--subtype", "BOOKED_GATEWAY_FAILED",
        "--format", "csv",
    )  # fmt: skip
    assert ids_in_csv(out) == ["EX-BOOK-T3"]


def test_list_filters_by_amount_range_and_customer(filled, capsys):
    _, out, _ = run(capsys, "list", "--store", str(filled), "--min-amount", "200",
                    "--max-amount", "1000", "--format", "csv")  # fmt: skip
    assert ids_in_csv(out) == ["EX-BOOK-T3"]
    _, out, _ = run(capsys, "list", "--store", str(filled), "--customer", "C2", "--format", "csv")
    assert ids_in_csv(out) == ["EX-DEBI-T2"]


def test_list_filters_by_age_in_hours(filled, capsys):
    _, out, _ = run(capsys, "list", "--store", str(filled), "--as-of", AS_OF, "--min-age", "11",
                    "--format", "csv")  # fmt: skip
    assert ids_in_csv(out) == []
    _, out, _ = run(capsys, "list", "--store", str(filled), "--as-of", AS_OF, "--max-age", "10",
                    "--format", "csv")  # fmt: skip
    assert len(ids_in_csv(out)) == 3


def test_list_text_searches_evidence_and_analyst_notes(filled, capsys):
    run(capsys, "assign", "EX-DEBI-T2", "--to", "ann", "--note", "call branch 042",
        "--store", str(filled))  # fmt: skip
    _, out, _ = run(
        capsys, "list", "--store", str(filled), "--text", "ledger:e1", "--format", "csv"
    )
    assert ids_in_csv(out) == ["EX-DEBI-T1"]
    _, out, _ = run(capsys, "list", "--store", str(filled), "--text", "BRANCH", "--format", "csv")
    assert ids_in_csv(out) == ["EX-DEBI-T2"]


def test_list_by_status_all_includes_resolved(filled, capsys):
    run(
        capsys,
        "resolve",
        "EX-DEBI-T1",
        "--code",
        "CORRECTED",
        "--note",
        "n",
        "--store",
        str(filled),
    )
    _, out, _ = run(capsys, "list", "--store", str(filled), "--format", "csv")
    assert "EX-DEBI-T1" not in ids_in_csv(out)
    _, out, _ = run(capsys, "list", "--store", str(filled), "--status", "all", "--format", "csv")
    assert "EX-DEBI-T1" in ids_in_csv(out)
    _, out, _ = run(
        capsys, "list", "--store", str(filled), "--status", "resolved", "--format", "csv"
    )
    assert ids_in_csv(out) == ["EX-DEBI-T1"]


def test_list_by_run_shows_what_that_run_found_or_changed(filled, con, capsys):
    load_findings(con, [F("T2", "25000.00", customer_id="C2")], evaluated=["T1", "T2"])
    record_run(filled, con, run_info(2), actor="nightly", now=at(2))
    _, out, _ = run(capsys, "list", "--store", str(filled), "--run", "run-2", "--status", "all",
                    "--format", "csv")  # fmt: skip
    assert ids_in_csv(out) == ["EX-DEBI-T1", "EX-DEBI-T2"]  # T1 healed by run-2, T2 found


def test_list_as_json_keeps_money_exact(filled, capsys):
    _, out, _ = run(capsys, "list", "--store", str(filled), "--customer", "C2", "--format", "json")
    (item,) = json.loads(out)
    assert (item["amount"], item["severity"], item["status"]) == ("25000.00", "HIGH", "OPEN")


def test_show_prints_the_finding_its_source_rows_and_history(filled, capsys):
    code, out, _ = run(capsys, "show", "EX-DEBI-T1", "--store", str(filled))
    assert code == 0
    for text in ("DEBIT_WITHOUT_CREDIT", "ledger:E1", "ledger.csv", "POSTED", "DETECTED", "run-1"):
        assert text in out


def test_show_as_json_lists_source_rows_and_history(filled, capsys):
    _, out, _ = run(capsys, "show", "EX-DEBI-T1", "--store", str(filled), "--format", "json")
    shown = json.loads(out)
    assert shown["source_rows"][0]["row"]["entry_id"] == "E1"
    assert [h["action"] for h in shown["history"]] == ["DETECTED"]


def test_assign_records_the_assignee_and_who_did_it(filled, capsys):
    code, out, _ = run(capsys, "assign", "EX-DEBI-T1", "--to", "ann", "--actor", "lead",
                       "--store", str(filled))  # fmt: skip
    assert code == 0
    assert "OPEN -> ASSIGNED" in out
    assert exceptions_by_id(filled)["EX-DEBI-T1"]["assignee"] == "ann"
    last = table_rows(filled, "events", "event_no")[-1]
    assert (last[1], last[3], last[5], last[8]) == (
        "EX-DEBI-T1",
        "lead",
        "ASSIGNED",
        "assigned to ann",
    )


def test_resolve_records_code_note_and_closes(filled, capsys):
    code, _, _ = run(capsys, "resolve", "EX-DEBI-T1", "--code", "refunded", "--note", "refund RF9",
                     "--actor", "ann", "--store", str(filled))  # fmt: skip
    row = exceptions_by_id(filled)["EX-DEBI-T1"]
    assert code == 0
    assert (row["status"], row["resolution_code"], row["resolution_note"]) == (
        "RESOLVED", "REFUNDED", "refund RF9",
    )  # fmt: skip


def test_reopen_puts_a_resolved_exception_back_unassigned(filled, capsys):
    run(capsys, "assign", "EX-DEBI-T1", "--to", "ann", "--store", str(filled))
    run(
        capsys,
        "resolve",
        "EX-DEBI-T1",
        "--code",
        "FALSE_POSITIVE",
        "--note",
        "n",
        "--store",
        str(filled),
    )
    code, _, _ = run(
        capsys, "reopen", "EX-DEBI-T1", "--note", "customer called", "--store", str(filled)
    )
    row = exceptions_by_id(filled)["EX-DEBI-T1"]
    assert code == 0
    assert (row["status"], row["assignee"], row["resolution_code"], row["closed_at"]) == (
        "OPEN", None, None, None,
    )  # fmt: skip


def test_resolving_a_resolved_exception_is_refused_with_exit_2(filled, capsys):
    run(
        capsys,
        "resolve",
        "EX-DEBI-T1",
        "--code",
        "CORRECTED",
        "--note",
        "n",
        "--store",
        str(filled),
    )
    before = table_rows(filled, "events")
    code, _, err = run(capsys, "resolve", "EX-DEBI-T1", "--code", "CORRECTED", "--note", "again",
                       "--store", str(filled))  # fmt: skip
    assert code == 2
    assert "EX-DEBI-T1 is RESOLVED; it cannot be resolved" in err
    assert table_rows(filled, "events") == before


def test_reopening_an_open_exception_is_refused_with_exit_2(filled, capsys):
    code, _, err = run(capsys, "reopen", "EX-DEBI-T1", "--note", "x", "--store", str(filled))
    assert code == 2
    assert "is OPEN; it cannot be reopened" in err


def test_unknown_id_is_a_clear_error_with_exit_2(filled, capsys):
    for argv in (
        ["show", "EX-NOPE"],
        ["assign", "EX-NOPE", "--to", "ann"],
        ["resolve", "EX-NOPE", "--code", "CORRECTED", "--note", "n"],
        ["reopen", "EX-NOPE", "--note", "n"],
    ):
        code, _, err = run(capsys, *argv, "--store", str(filled))
        assert code == 2
        assert "no exception 'EX-NOPE'" in err


def test_missing_store_is_a_clear_error_and_is_not_created(tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    code, _, err = run(capsys, "list", "--store", str(missing))
    assert code == 2
    assert f"no exception store at {missing}" in err
    assert not missing.exists()


def test_unknown_resolution_code_is_rejected_by_the_parser(filled, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["exceptions", "resolve", "EX-DEBI-T1", "--code", "FIXED", "--note", "n",
              "--store", str(filled)])  # fmt: skip
    assert stop.value.code == 2
    assert "invalid choice: 'FIXED'" in capsys.readouterr().err


def test_every_command_has_help(capsys):
    for command in ("list", "show", "assign", "resolve", "reopen", "export"):
        with pytest.raises(SystemExit) as stop:
            main(["exceptions", command, "--help"])
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert "--store" in out
        assert "--actor" in out


def test_export_csv_writes_the_listed_exceptions(filled, tmp_path, capsys):
    out_file = tmp_path / "open.csv"
    code, out, _ = run(capsys, "export", "--format", "csv", "--output", str(out_file),
                       "--min-amount", "400", "--store", str(filled))  # fmt: skip
    assert code == 0
    assert "wrote 2 exception(s)" in out
    assert ids_in_csv(out_file.read_text()) == ["EX-BOOK-T3", "EX-DEBI-T2"]


def test_export_xlsx_writes_a_sheet_with_utc_times(filled, tmp_path, capsys):
    out_file = tmp_path / "open.xlsx"
    code, _, _ = run(capsys, "export", "--format", "xlsx", "--output", str(out_file),
                     "--store", str(filled))  # fmt: skip
    assert code == 0
    with zipfile.ZipFile(out_file) as book:
        names = book.namelist()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "xl/worksheets/sheet1.xml" in names
    assert "detected_at_utc" in strings
    assert "EX-DEBI-T2" in strings
    assert sheet.count("<row ") == 4  # header + 3 exceptions
