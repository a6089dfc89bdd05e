"""The incident impact report counts customers, transfers and money, and what is fixed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from recon.db import connect
from recon.incident.impact import (
    IncidentWindow,
    impact_document,
    impact_rows,
    render_html,
    write_impact_report,
)
from recon.sql import load_sql, run_statements

WINDOW = IncidentWindow(
    "INC-7",
    datetime(2024, 3, 15, 11, 20, tzinfo=UTC),
    datetime(2024, 3, 15, 11, 30, tzinfo=UTC),
    margin_minutes=30,
)
NOW = datetime(2024, 3, 16, 9, 0, tzinfo=UTC)

# exception_id, channel, type, subtype, customer, txn_ref, amount, currency, compensation, status
EXCEPTIONS = [
    ("EX-1", "APP", "HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "C1", "T1", "100.00", "CNY", "0.02",
     "OPEN"),
    ("EX-2", "APP", "DUPLICATE_DEBIT", "SAME_REQUEST", "C1", "T2", "50.00", "CNY", "0.01",
     "RESOLVED"),
    ("EX-3", "WEB", "HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "C2", "T3", "20.00", "USD", "0.00",
     "SELF_HEALED"),
    ("EX-4", None, "INVOICE", "MISSING", "", "T4", "5.00", "CNY", "0.00", "ASSIGNED"),
    ("EX-9", "APP", "HALF_COMPLETED", "STUCK_PENDING", "C9", "T9", "999.00", "CNY", "0.00",
     "OPEN"),
]  # fmt: skip
TAGS = [
    ("INC-7", "EX-1"),
    ("INC-7", "EX-2"),
    ("INC-7", "EX-3"),
    ("INC-7", "EX-4"),
    ("INC-8", "EX-9"),
]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "recon.duckdb"
    con = connect()
    con.execute(f"ATTACH '{path}' AS recon_store")
    run_statements(con, load_sql("recon.store", "schema"))
    for row in EXCEPTIONS:
        ex_id, channel, type_, subtype, customer, txn, amount, currency, comp, status = row
        con.execute(
            """INSERT INTO recon_store.exceptions (exception_id, type, subtype, txn_ref,
               customer_id, amount, currency, compensation, channel, status, detected_at,
               first_seen_run, last_seen_run)
               VALUES ($id, $type, $subtype, $txn, $customer, $amount, $currency, $comp,
                       $channel, $status, $now, 'run-1', 'run-1')""",
            {
                "id": ex_id, "type": type_, "subtype": subtype, "txn": txn,
                "customer": customer, "amount": amount, "currency": currency, "comp": comp,
                "channel": channel, "status": status, "now": NOW,
            },
        )  # fmt: skip
    for incident, ex_id in TAGS:
        con.execute(
            "INSERT INTO recon_store.incident_tags VALUES ($i, $e, 'run-1')",
            {"i": incident, "e": ex_id},
        )
    con.execute("DETACH recon_store")
    con.close()
    return path


@pytest.fixture
def document(store):
    return impact_document(WINDOW, "run-2", impact_rows(store, "INC-7"), NOW)


def test_totals_count_only_the_incidents_own_exceptions(document):
    assert document["totals"] == {
        "findings": 4,
        "customers": 2,  # C1 twice, C2; an empty customer is not a customer
        "transfers": 4,
        "open_findings": 2,  # OPEN and ASSIGNED
        "resolved_findings": 1,
        "healed_findings": 1,
    }


def test_money_is_split_by_currency_into_open_resolved_and_healed(document):
    by_currency = {row["currency"]: row for row in document["by_currency"]}
    cny, usd = by_currency["CNY"], by_currency["USD"]
    assert (cny["amount"], cny["open_amount"], cny["resolved_amount"]) == (
        "155.00",
        "105.00",
        "50.00",
    )
    assert (usd["amount"], usd["healed_amount"], usd["open_amount"]) == ("20.00", "20.00", "0.00")
    assert cny["compensation"] == "0.03"


def test_by_channel_names_an_unknown_channel(document):
    rows = {(r["channel"], r["currency"]): r["findings"] for r in document["by_channel"]}
    assert rows == {("APP", "CNY"): 2, ("UNKNOWN", "CNY"): 1, ("WEB", "USD"): 1}


def test_by_type_counts_each_subtype_per_currency(document):
    rows = {(r["type"], r["subtype"], r["currency"]): r["findings"] for r in document["by_type"]}
    assert rows == {
        ("DUPLICATE_DEBIT", "SAME_REQUEST", "CNY"): 1,
        ("HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "CNY"): 1,
        ("HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT", "USD"): 1,
        ("INVOICE", "MISSING", "CNY"): 1,
    }


def test_window_is_reported_with_its_margin(document):
    assert document["window"]["from"] == "2024-03-15T10:50:00+00:00"
    assert document["window"]["to"] == "2024-03-15T12:00:00+00:00"


def test_an_incident_without_findings_reports_zeros(store):
    document = impact_document(WINDOW, "run-2", impact_rows(store, "INC-unknown"), NOW)
    assert document["totals"]["findings"] == 0
    assert document["by_channel"] == []


def test_report_is_written_as_json_and_self_contained_html(tmp_path, document):
    paths = write_impact_report(tmp_path / "out", document)
    assert json.loads(paths["incident_impact.json"].read_text(encoding="utf-8")) == document
    page = paths["incident_impact.html"].read_text(encoding="utf-8")
    assert "Incident INC-7: impact" in page
    assert "<script" not in page
    assert "http" not in page


def test_html_escapes_text_from_the_data(document):
    document["by_channel"][0]["channel"] = "<b>APP</b>"
    assert "&lt;b&gt;APP&lt;/b&gt;" in render_html(document)
