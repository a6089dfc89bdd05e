"""The regulator's report: its figures are the store's, versions and their diff, the PDF."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from recon.cli import main
from recon.errors import TerminalError
from recon.incident.regulator_report import write_regulator_report

from .incident_store import add_events, make_store

AS_OF = datetime(2024, 3, 17, 12, 0, tzinfo=UTC)
WINDOW = {"start": "2024-03-15T11:20:00+00:00", "end": "2024-03-15T11:30:00+00:00"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = make_store(tmp_path)
    add_events(path)
    return path


def report(store: Path, out: Path, **kw):
    kw.setdefault("now", AS_OF)
    kw.setdefault("pdf", False)
    return write_regulator_report(store, "INC-7", out, timezone="UTC", actor="ops", **kw)


def figures(out: Path) -> dict:
    return json.loads((out / "regulator_report.json").read_text(encoding="utf-8"))


def test_scope_counts_each_transfer_once_per_channel_band_and_type(store, tmp_path):
    report(store, tmp_path / "out", declared=WINDOW)
    f = figures(tmp_path / "out")
    assert f["totals"] == [
        {"currency": "CNY", "cases": 5, "transfers": 4, "customers": 3, "amount": "2170.00"}
    ]
    scope = {(r["dimension"], r["value"]): (r["transfers"], r["amount"]) for r in f["scope"]}
    assert scope[("channel", "APP")] == (2, "150.00")  # T1 100 + T2 50
    assert scope[("channel", "WEB")] == (2, "2020.00")  # T3 20 + T4 2000 (two cases, once)
    assert scope[("amount band", "under 1,000")] == (3, "170.00")
    assert scope[("amount band", "1,000 to 9,999.99")] == (1, "2000.00")
    assert scope[("transaction type", "HALF_COMPLETED/STUCK_PENDING")] == (1, "2000.00")
    assert scope[("customer type", "not given")] == (4, "2170.00")


def test_the_window_is_declared_and_observed(store, tmp_path):
    report(store, tmp_path / "out", declared=WINDOW)
    window = figures(tmp_path / "out")["window"]
    assert window["declared"] == WINDOW
    assert (window["observed"]["first"], window["observed"]["last"]) == (
        "2024-03-15T11:21:00+00:00",
        "2024-03-15T11:28:00+00:00",
    )


def test_money_held_and_for_how_long(store, tmp_path):
    report(store, tmp_path / "out")
    (held,) = figures(tmp_path / "out")["held"]
    # T1 100 open, T2 50 released 03-16 09:00, T3 20 healed 03-16 09:00, T4 2000 open
    assert (held["transfers"], held["amount"], held["still_held"]) == (4, "2170.00", "2100.00")
    # the longest: T1 from 03-15 11:21 to 03-17 12:00 = 48 h 39 min
    assert held["longest_hours"] == "48.7"


def test_handling_progress_day_by_day(store, tmp_path):
    report(store, tmp_path / "out")
    assert figures(tmp_path / "out")["progress"] == [
        {"day": "2024-03-15", "found": 5, "open": 5, "resolved": 0, "healed": 0},
        {"day": "2024-03-16", "found": 5, "open": 3, "resolved": 1, "healed": 1},
        {"day": "2024-03-17", "found": 5, "open": 3, "resolved": 1, "healed": 1},
    ]


def test_compensation_decided_and_open_risks(store, tmp_path):
    report(store, tmp_path / "out")
    f = figures(tmp_path / "out")
    assert f["compensation"] == [
        {"currency": "CNY", "customers": 2, "decided": "0.30", "approved": "0.00", "paid": "0.00"}
    ]
    (risk,) = f["open_risks"]
    assert (risk["open_cases"], risk["open_transfers"], risk["open_amount"]) == (3, 2, "2100.00")


def test_the_same_figures_are_the_same_version_and_a_change_is_the_next(store, tmp_path):
    first = report(store, tmp_path / "one", declared=WINDOW)
    same = report(store, tmp_path / "two")  # the declared window carries over
    assert (first.version, first.new, same.version, same.new) == (1, True, 1, False)
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE exceptions SET status = 'SELF_HEALED', closed_at = $t"
                    " WHERE exception_id = 'EX-1'", {"t": AS_OF})  # fmt: skip
    second = report(store, tmp_path / "three")
    assert (second.version, second.new) == (2, True)
    changes = {path: (a, b) for path, a, b in figures(tmp_path / "three")["changes"]}
    assert changes["open_risks[currency=CNY].open_amount"] == ("2100.00", "2000.00")
    page = (tmp_path / "three" / "regulator_report.html").read_text(encoding="utf-8")
    assert "version 2" in page
    assert "open_risks[currency=CNY].open_amount" in page
    with duckdb.connect(str(store), read_only=True) as con:
        kept = con.execute("SELECT version FROM incident_reports ORDER BY 1").fetchall()
        events = con.execute("SELECT count(*) FROM events WHERE action = 'REPORT_VERSION'")
        assert (kept, events.fetchall()) == ([(1,), (2,)], [(2,)])


def test_the_report_is_printed_to_pdf_by_chromium(store, tmp_path):
    done = report(store, tmp_path / "out", pdf=True)
    pdf = tmp_path / "out" / "regulator_report.pdf"
    assert pdf in done.files
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_failed_print_keeps_no_version_and_writes_nothing(store, tmp_path, monkeypatch):
    monkeypatch.setenv("RECON_CHROMIUM", "/bin/false")
    with pytest.raises(TerminalError, match="cannot print the PDF: chromium exited 1"):
        report(store, tmp_path / "out", pdf=True)
    assert not (tmp_path / "out").exists()
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM incident_reports").fetchall() == [(0,)]


def test_a_hostile_value_is_escaped_in_the_page(tmp_path):
    from .incident_store import CASES

    hostile = [(*CASES[0][:9], "<script>x</script>\u202e", CASES[0][10])]
    store = make_store(tmp_path, hostile)
    report(store, tmp_path / "out")
    page = (tmp_path / "out" / "regulator_report.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;&lt;U+202E&gt;" in page


def test_the_figures_equal_the_stores_after_a_real_run(public_scenario, tmp_path):
    store = tmp_path / "recon.duckdb"
    code = main(["run", "--quiet", "--data-dir", str(public_scenario / "data"), "--out",
                 str(tmp_path / "run"), "--config", str(public_scenario / "recon.toml"),
                 "--store", str(store)])  # fmt: skip
    assert code == 1
    with duckdb.connect(str(store)) as con:
        con.execute("INSERT INTO incident_tags SELECT 'INC-7', exception_id, 'r' FROM exceptions")
        cases, transfers, customers, comp = con.execute(
            "SELECT count(*), count(DISTINCT coalesce(txn_ref, exception_id)),"
            " count(DISTINCT customer_id), sum(compensation) FROM exceptions"
        ).fetchall()[0]
    assert main(["incident", "report", "--id", "INC-7", "--out", str(tmp_path / "out"),
                 "--store", str(store), "--no-pdf"]) == 0  # fmt: skip
    f = figures(tmp_path / "out")
    (totals,) = f["totals"]
    assert (totals["cases"], totals["transfers"], totals["customers"]) == (
        cases,
        transfers,
        customers,
    )
    assert Decimal(f["compensation"][0]["decided"]) == comp
    by_channel = sum(r["transfers"] for r in f["scope"] if r["dimension"] == "channel")
    assert by_channel == transfers
