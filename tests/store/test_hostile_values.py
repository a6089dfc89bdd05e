"""Hostile values through the analysts' writers (issue 10): terminal, CSV and Excel exports.

A store holds one open exception per hostile value (as txn_ref and customer id), one with a
1 MB evidence and one with a negative amount; `recon exceptions list/show/assign/resolve`
print them through a real rich Console, `export` writes them, `list --format json | head -1`
stops quietly.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile

import pytest

from recon.safety import spreadsheet_cell
from recon.store import record_run
from recon.store.commands import main

from .builders import F, at, load_findings, run_info

HUGE = "A" * 1_048_576
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


@pytest.fixture
def hostile_store(store, con, hostile_values):
    findings = [
        F(value, "10.00", customer_id=value, exception_id=f"EX-{name}", evidence=value)
        for name, value in hostile_values.items()
    ]
    findings.append(F("T-huge", "1.00", exception_id="EX-huge", evidence=HUGE))
    findings.append(F("T-neg", "-12.50", exception_id="EX-neg"))
    load_findings(con, findings)
    record_run(store, con, run_info(1), actor="nightly", now=at(1))
    return store


def run(capsys, *argv):
    code = main(["exceptions", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_list_prints_markup_as_typed_and_escapes_visibly(hostile_store, capsys):
    code, out, err = run(capsys, "list", "--store", str(hostile_store), "--as-of", "2024-03-17")
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    for shown in (
        "[bold red]APPROVED BY CFO[/bold red]",
        "[/x]",
        "[link=http://x]y[/link]",
        "\\x1b[2J",
        "abc<U+202E>def",
        "\\x09TAB",
    ):
        assert shown in out


def test_show_prints_a_hostile_exception_and_cuts_a_huge_value_visibly(hostile_store, capsys):
    code, out, err = run(capsys, "show", "EX-markup", "--store", str(hostile_store))
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    assert "[bold red]APPROVED BY CFO[/bold red]" in out
    code, out, _ = run(capsys, "show", "EX-huge", "--store", str(hostile_store))
    assert code == 0
    assert "…[truncated,1048576chars]" in re.sub(r"[\s│]", "", out)  # folded over lines
    assert len(out) < 100_000


def test_notes_and_assignees_with_markup_and_escapes_print_as_text(hostile_store, capsys):
    store = str(hostile_store)
    code, out, err = run(capsys, "assign", "EX-esc", "--to", "[b]x[/b]", "--note", "\x1b[2J",
                         "--store", store)  # fmt: skip
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    assert "\\x1b[2J" in out
    code, out, err = run(capsys, "resolve", "EX-esc", "--code", "CORRECTED", "--note",
                         "[/oops] \u202e", "--store", store)  # fmt: skip
    assert (code, err) == (0, "")
    assert "[/oops] <U+202E>" in out
    code, out, err = run(capsys, "show", "EX-esc", "--store", store)
    assert (code, err) == (0, "")
    assert_terminal_safe(out)
    assert "[/oops]" in out


def read_csv(text: str) -> list[dict[str, str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 2 * len(HUGE)))
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_neutralises_text_keeps_money_and_times_like_exceptions_csv(
    hostile_store, tmp_path, capsys, hostile_values
):
    out_file = tmp_path / "open.csv"
    code, _, _ = run(capsys, "export", "--format", "csv", "--output", str(out_file),
                     "--store", str(hostile_store))  # fmt: skip
    assert code == 0
    text = out_file.read_bytes().decode("utf-8")  # a CR inside a value stays a CR
    rows = {r["exception_id"]: r for r in read_csv(text)}
    for name, value in hostile_values.items():
        row = rows[f"EX-{name}"]
        assert row["txn_ref"] == row["customer_id"] == spreadsheet_cell(value)
        assert not row["txn_ref"].startswith(FORMULA_STARTS)
    assert rows["EX-neg"]["amount"] == "-12.50"
    assert rows["EX-huge"]["evidence"] == HUGE
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", rows["EX-neg"]["detected_at"])


def test_list_as_csv_is_the_same_safe_csv(hostile_store, capsys):
    code, out, _ = run(capsys, "list", "--format", "csv", "--store", str(hostile_store))
    assert code == 0
    assert_terminal_safe(out.replace("\n", ""))
    rows = {r["exception_id"]: r for r in read_csv(out)}
    assert rows["EX-dde"]["txn_ref"] == "'=cmd|' /C calc'!A0"


def test_export_xlsx_writes_strings_never_formulas_and_flags_the_cut(hostile_store, tmp_path,
                                                                     capsys):  # fmt: skip
    out_file = tmp_path / "open.xlsx"
    code, out, _ = run(capsys, "export", "--format", "xlsx", "--output", str(out_file),
                       "--store", str(hostile_store))  # fmt: skip
    assert code == 0
    assert "1 value(s) longer than an Excel cell holds were cut" in out
    with zipfile.ZipFile(out_file) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert not re.search(r"<f[ >]", sheet)  # no formula cell
    assert """<t>'=HYPERLINK("http://x","y")</t>""" in strings
    assert "\u202e" not in strings
    assert "…[truncated, 1048576 chars]" in strings
    assert "<v>-12.50</v>" in sheet  # money is a number
    assert 'formatCode="#,##0.00"' in styles
    assert 'formatCode="yyyy-mm-dd hh:mm:ss"' in styles
    assert '<pane ySplit="1"' in sheet  # frozen header
    assert "<autoFilter " in sheet


def test_list_as_json_into_a_closed_pipe_stops_quietly(hostile_store):
    argv = ["exceptions", "list", "--format", "json", "--store", str(hostile_store)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "recon.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.readline() == b"[\n"
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert err == ""
    assert proc.returncode == 141
