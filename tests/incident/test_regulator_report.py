"""The regulator's report: its figures are the store's, versions and their diff, the PDF.

The tests that write or read the store's report versions (versions and their diff, a failed
print keeping none, the figures against a real run's store, the audit chain after notices
and reports) run over the DuckDB file and again over PostgreSQL (`ON_BOTH_BACKENDS`); the
figures' other tests and the PDF over the file.
"""

from __future__ import annotations

import csv
import json
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.errors import TerminalError
from recon.incident.regulator_report import write_regulator_report
from recon.sql import load_sql
from tests.store.backends import BACKENDS, is_pg, read_store, tamper

from .incident_store import ON_BOTH_BACKENDS, add_events, make_store, on_backend

AS_OF = datetime(2024, 3, 17, 12, 0, tzinfo=UTC)
WINDOW = {"start": "2024-03-15T11:20:00+00:00", "end": "2024-03-15T11:30:00+00:00"}


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The hand-made store with its events: the file, or a PostgreSQL copy of it
    (`ON_BOTH_BACKENDS`)."""
    path = make_store(tmp_path)
    add_events(path)
    return on_backend(request, path)


def report(store: Path | str, out: Path, **kw):
    kw.setdefault("now", AS_OF)
    kw.setdefault("pdf", False)
    return write_regulator_report(store, "INC-7", out, timezone="UTC", actor="ops", **kw)


def figures(out: Path) -> dict:
    return json.loads((out / "regulator_report.json").read_text(encoding="utf-8"))


def heal_ex1(store: Path | str) -> None:
    """EX-1 healed at AS_OF, behind recon's back: the next report's figures change."""
    tamper(store, "UPDATE exceptions SET status = 'SELF_HEALED', closed_at ="
           " TIMESTAMPTZ '2024-03-17 12:00:00+00' WHERE exception_id = 'EX-1'")  # fmt: skip


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


@ON_BOTH_BACKENDS
def test_the_same_figures_are_the_same_version_and_a_change_is_the_next(store, tmp_path):
    first = report(store, tmp_path / "one", declared=WINDOW)
    same = report(store, tmp_path / "two")  # the declared window carries over
    assert (first.version, first.new, same.version, same.new) == (1, True, 1, False)
    heal_ex1(store)
    second = report(store, tmp_path / "three")
    assert (second.version, second.new) == (2, True)
    changes = {path: (a, b) for path, a, b in figures(tmp_path / "three")["changes"]}
    assert changes["open_risks[currency=CNY].open_amount"] == ("2100.00", "2000.00")
    page = (tmp_path / "three" / "regulator_report.html").read_text(encoding="utf-8")
    assert "version 2" in page
    assert "open_risks[currency=CNY].open_amount" in page
    with read_store(store) as con:
        kept = con.execute("SELECT version FROM incident_reports ORDER BY 1").fetchall()
        events = con.execute("SELECT count(*) FROM events WHERE action = 'REPORT_VERSION'")
        assert (kept, events.fetchall()) == ([(1,), (2,)], [(2,)])
        (version_1,) = con.execute(
            "SELECT figures::VARCHAR FROM incident_reports WHERE version = 1"
        ).fetchone()
    # version 1's figures are kept as its JSON shows them, whichever backend holds them
    shown = figures(tmp_path / "one")
    assert json.loads(version_1) == {
        k: v for k, v in shown.items() if k not in ("version", "as_of", "changes")
    }


def test_the_report_is_printed_to_pdf_by_chromium(store, tmp_path):
    done = report(store, tmp_path / "out", pdf=True)
    pdf = tmp_path / "out" / "regulator_report.pdf"
    assert pdf in done.files
    assert pdf.read_bytes()[:5] == b"%PDF-"


@ON_BOTH_BACKENDS
def test_a_failed_print_keeps_no_version_and_writes_nothing(store, tmp_path, monkeypatch):
    monkeypatch.setenv("RECON_CHROMIUM", "/bin/false")
    with pytest.raises(TerminalError, match="cannot print the PDF: chromium exited 1"):
        report(store, tmp_path / "out", pdf=True)
    assert not (tmp_path / "out").exists()
    with read_store(store) as con:
        assert con.execute("SELECT count(*) FROM incident_reports").fetchall() == [(0,)]


def test_a_hostile_value_is_escaped_in_the_page(tmp_path):
    from .incident_store import CASES

    hostile = [(*CASES[0][:9], "<script>x</script>\u202e", CASES[0][10])]
    store = make_store(tmp_path, hostile)
    report(store, tmp_path / "out")
    page = (tmp_path / "out" / "regulator_report.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;&lt;U+202E&gt;" in page


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_figures_equal_the_stores_after_a_real_run(public_scenario, tmp_path, request, backend):
    path = tmp_path / "recon.duckdb"
    code = main(["run", "--quiet", "--data-dir", str(public_scenario / "data"), "--out",
                 str(tmp_path / "run"), "--config", str(public_scenario / "recon.toml"),
                 "--store", str(path)])  # fmt: skip
    assert code == 1
    tamper(path, "INSERT INTO incident_tags SELECT 'INC-7', exception_id, 'r' FROM exceptions")
    store = on_backend(request, path, backend)
    with read_store(store) as con:
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


@ON_BOTH_BACKENDS
def test_notices_a_receipt_and_two_report_versions_keep_the_audit_chain_intact(
    store, tmp_path, request, capsys
):
    """The commands as an analyst runs them; on PostgreSQL as a login of `recon_web` (what
    `recon store roles` grants it is enough), then `recon audit verify` on the store."""
    who = str(store)
    if is_pg(store):
        pg_server = request.getfixturevalue("pg_server")
        database = store.rsplit("/", 1)[1]
        pg_server.psql(load_sql("recon.store.pg", "roles"), database=database)
        login = f"desk_{secrets.token_hex(4)}"  # roles are the cluster's, shared by the tests
        pg_server.psql(f"CREATE ROLE {login} LOGIN IN ROLE recon_web")
        who = store.replace("//recon@", f"//{login}@")
    base = ["--store", who, "--actor", "ops"]
    out = tmp_path / "notices"
    assert main(["incident", "notices", "--id", "INC-7", "--out", str(out), *base]) == 0
    with (out / "notices.csv").open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))["notice_id"]
    receipt = tmp_path / "receipt.csv"
    receipt.write_text(f"notice_id,receipt_ref\n{first},SMS-1\n", encoding="utf-8")
    assert main(["incident", "notices", "sent", "--receipt", str(receipt), *base]) == 0
    report_of = ["incident", "report", "--id", "INC-7", "--no-pdf", *base]
    assert main([*report_of, "--out", str(tmp_path / "v1"), "--start", WINDOW["start"],
                 "--end", WINDOW["end"]]) == 0  # fmt: skip
    heal_ex1(store)
    assert main([*report_of, "--out", str(tmp_path / "v2")]) == 0
    assert "regulator's report version 2 (a new version" in capsys.readouterr().out
    assert main(["audit", "verify", "--store", str(store)]) == 0
    # 7 events of the cases, 3 notices prepared, 1 sent, 2 report versions
    assert capsys.readouterr().out.startswith("audit chain intact: 13 event(s), head event_no 13")
    with read_store(store) as con:
        assert con.execute(
            "SELECT action, count(*) FROM events WHERE event_no > 7 GROUP BY 1 ORDER BY 1"
        ).fetchall() == [("NOTICE_PREPARED", 3), ("NOTICE_SENT", 1), ("REPORT_VERSION", 2)]
