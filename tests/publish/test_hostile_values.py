"""Hostile values through the output-safety layer and every writer of a run (issue 10).

The layer (recon.safety, recon/safety.sql) one behaviour at a time, then the round trip:
working tables holding formulas, rich markup, escapes, a right-to-left override and a 1 MB
value go through every CSV, the Parquet file, report.html and the Prefect markdown summary.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import duckdb
import pytest

from recon.exit_codes import ExitCode
from recon.model import RunInfo, RunSummary, SourceCounts, StoreOutcome
from recon.pipeline import RunResult
from recon.publish import write_outputs
from recon.safety import (
    html_text,
    install_sql_macros,
    markdown_text,
    neutralise_formula,
    show_bidi,
    spreadsheet_cell,
    terminal_text,
    truncate,
    xlsx_cell,
)

from .tables import create_empty_tables, exception_row, insert, run_summary

HUGE = "A" * 1_048_576
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
TEXT_COLUMNS = {
    "exceptions.csv": ("txn_ref", "customer_id", "account_id", "evidence", "proposed_action"),
    "corrections.csv": ("txn_ref", "account_id", "narrative"),
    "compensation.csv": ("customer_id", "exception_ids"),
    "quarantine.csv": ("file", "value", "reason"),
}


# --- the layer, one behaviour each ---------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-2+3", "@SUM(1)", "\tx", "\rx", "-", "-1e5"])
def test_a_value_a_spreadsheet_would_evaluate_gets_a_leading_quote(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["-12.50", "-3", "12.50", "T-1", "EX-1", "", "a=b"])
def test_a_negative_number_and_plain_text_are_left_alone(value):
    assert neutralise_formula(value) == value


def test_numbers_and_nulls_are_not_cells_to_neutralise():
    assert spreadsheet_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert spreadsheet_cell(None) is None


@pytest.mark.parametrize("code", [0x202A, 0x202E, 0x2066, 0x2069, 0x200E, 0x200F, 0x061C])
def test_bidi_controls_are_shown_as_their_code_point(code):
    assert show_bidi(f"a{chr(code)}b") == f"a<U+{code:04X}>b"


def test_the_sql_macro_neutralises_exactly_as_python_does(con, hostile_values):
    install_sql_macros(con)
    values = [*hostile_values.values(), "-12.50", "T-1", None]
    got = [con.execute("SELECT safe_cell($v)", {"v": v}).fetchone()[0] for v in values]
    assert got == [spreadsheet_cell(v) for v in values]


def test_a_value_too_long_for_a_cell_is_cut_with_a_visible_marker_and_says_so():
    text, cut = xlsx_cell(HUGE)
    assert cut
    assert len(text) == 32_767
    assert text.endswith("…[truncated, 1048576 chars]")
    assert xlsx_cell("short") == ("short", False)
    assert truncate("abc", 3) == ("abc", False)


def test_terminal_text_shows_escapes_and_bidi_and_keeps_newlines():
    assert terminal_text("\x1b[2J") == "\\x1b[2J"
    assert terminal_text("a\u202eb\x9b\x7f\nc") == "a<U+202E>b\\x9b\\x7f\nc"
    assert terminal_text("[bold]x[/bold]") == "[bold]x[/bold]"  # printed as Text, not markup


def test_html_text_escapes_and_shows_bidi():
    assert html_text('<a href="x">\u202e') == "&lt;a href=&quot;x&quot;&gt;&lt;U+202E&gt;"


def test_markdown_text_cannot_become_a_link_emphasis_or_a_column():
    assert markdown_text("[y](http://x) **b** |c|") == (r"\[y\]\(http\://x\) \*\*b\*\* \|c\|")
    assert markdown_text("a\nb") == "a b"


# --- the round trip through a run's writers ------------------------------------------------


@pytest.fixture
def hostile_run(con, hostile_values) -> duckdb.DuckDBPyConnection:
    """One open exception per hostile value (as txn_ref, customer id and evidence), one with
    a 1 MB evidence, one with a negative amount; corrections, compensation and quarantine
    holding the same values."""
    create_empty_tables(con)
    rows = []
    for name, value in hostile_values.items():
        row = list(exception_row(f"EX-{name}", "INVOICE", "MISSING", value, "10.00"))
        row[5] = value  # customer_id
        row[10] = value  # evidence
        rows.append(tuple(row))
    huge = list(exception_row("EX-huge", "INVOICE", "MISSING", "T-huge", "1.00"))
    huge[10] = HUGE
    rows.append(tuple(huge))
    rows.append(exception_row("EX-neg", "INVOICE", "MISSING", "T-neg", "-12.50"))
    insert(con, "exceptions", rows)
    insert(
        con,
        "corrections",
        [
            (f"CR-{name}", f"EX-{name}", value, value, "D", Decimal("-12.50"), "CNY", value)
            for name, value in hostile_values.items()
        ],
    )
    insert(
        con,
        "compensation",
        [(value, "CNY", Decimal("0.01"), f"EX-{name}") for name, value in hostile_values.items()],
    )
    insert(
        con,
        "quarantine",
        [
            ("ledger", value, i + 2, "txn_ref", value, value)
            for i, value in enumerate(hostile_values.values())
        ],
    )
    return con


def read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 2 * len(HUGE)))  # the 1 MB value
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@pytest.fixture
def published(hostile_run, tmp_path) -> Path:
    outcome = StoreOutcome(run_id="run-1", new=("EX-markup",), open_total=14)
    write_outputs(tmp_path, hostile_run, run_summary(outcome=outcome))
    return tmp_path


@pytest.mark.parametrize("name", sorted(TEXT_COLUMNS))
def test_no_csv_cell_of_a_run_starts_a_formula_or_hides_a_bidi_control(published, name):
    text = (published / name).read_text(encoding="utf-8")
    assert "\u202e" not in text
    rows = read_csv(published / name)
    assert rows
    for row in rows:
        for column in TEXT_COLUMNS[name]:
            cell = row[column]
            assert not cell.startswith(FORMULA_STARTS), (name, column, cell)
            assert not cell.startswith("-") or is_number(cell), (name, column, cell)


def test_exceptions_csv_quotes_each_hostile_txn_ref_and_keeps_the_rest_as_typed(
    published, hostile_values
):
    by_id = {r["exception_id"]: r for r in read_csv(published / "exceptions.csv")}
    for name, value in hostile_values.items():
        assert by_id[f"EX-{name}"]["txn_ref"] == spreadsheet_cell(value)
    assert by_id["EX-hyperlink"]["txn_ref"] == '\'=HYPERLINK("http://x","y")'
    assert by_id["EX-markup"]["txn_ref"] == "[bold red]APPROVED BY CFO[/bold red]"
    assert by_id["EX-rlo"]["txn_ref"] == "abc<U+202E>def"
    assert by_id["EX-huge"]["evidence"] == HUGE  # a CSV has no cell limit: never cut


def test_money_stays_a_number_even_when_negative(published):
    exceptions = {r["exception_id"]: r for r in read_csv(published / "exceptions.csv")}
    assert exceptions["EX-neg"]["amount"] == "-12.50"
    assert {r["amount"] for r in read_csv(published / "corrections.csv")} == {"-12.50"}


def test_parquet_keeps_the_raw_typed_values(published, hostile_values):
    con = duckdb.connect()
    rows = dict(
        con.execute(
            "SELECT exception_id, txn_ref FROM read_parquet($p)",
            {"p": str(published / "exceptions.parquet")},
        ).fetchall()
    )
    amount = con.execute(
        "SELECT amount FROM read_parquet($p) WHERE exception_id = 'EX-neg'",
        {"p": str(published / "exceptions.parquet")},
    ).fetchone()[0]
    assert rows["EX-hyperlink"] == hostile_values["hyperlink"]
    assert rows["EX-rlo"] == hostile_values["rlo"]
    assert amount == Decimal("-12.50")


def test_report_html_escapes_markup_and_shows_bidi_and_escapes_visibly(published):
    page = (published / "report.html").read_text(encoding="utf-8")
    assert "\u202e" not in page
    assert "\x1b" not in page
    assert "abc&lt;U+202E&gt;def" in page
    assert "\\x1b[2J" in page
    assert "[bold red]APPROVED BY CFO[/bold red]" in page  # text, nothing renders it
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert '<a href="http://x"' not in page


def test_the_prefect_markdown_summary_puts_txn_ref_and_customer_in_escaped(hostile_values):
    from flows.artifacts import summary_markdown

    run = RunInfo(
        run_id="run-1",
        started_at=datetime(2024, 3, 16, 2, tzinfo=UTC),
        cutoff=datetime(2024, 3, 16, tzinfo=UTC),
        data_dir="data",
        counts=MappingProxyType({"ledger": SourceCounts(10, 9, 1, 0)}),
    )
    result = RunResult(
        "run-1",
        ExitCode.FINDINGS,
        Path("out"),
        RunSummary(run, datetime(2024, 3, 16, 2, 1, tzinfo=UTC), StoreOutcome("run-1")),
    )
    cases = [
        {
            "exception_id": f"EX-{name}",
            "type": "INVOICE",
            "subtype": "MISSING",
            "txn_ref": value,
            "customer_id": value,
            "amount": "10.00",
            "currency": "CNY",
            "proposed_action": "INVESTIGATE",
        }
        for name, value in hostile_values.items()
    ]
    text = summary_markdown("Nightly", result, cases, [])
    table = [line for line in text.splitlines() if line.startswith("| EX-")]
    assert len(table) == len(hostile_values)
    # 6 columns, 7 pipes: no value added a column
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 7 for line in table)
    assert "\u202e" not in text
    assert "\x1b" not in text
    assert "\\[link=http\\://x\\]y\\[/link\\]" in text
    assert "](http" not in text
