"""record_run: what one run does to the exception store (CONTRACT.md section 5)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from recon.errors import StoreError
from recon.model import InputFile, SourceCounts
from recon.store import record_failed_run, record_run
from recon.store.actions import assign, resolve

from .backends import untouched
from .builders import F, at, exceptions_by_id, load_findings, run_info, table_rows

CONTRACT_COLUMNS = [
    "exception_id", "type", "subtype", "txn_ref", "related_txn_ref", "customer_id",
    "account_id", "amount", "currency", "detected_at", "evidence", "proposed_action",
    "compensation", "status", "first_seen_run", "last_seen_run",
]  # fmt: skip


def record(store, con, n, findings, evaluated=None, **kw):
    load_findings(con, findings, evaluated)
    return record_run(store, con, run_info(n, kw.pop("incident_id", None)), actor="tester",
                      now=at(n), **kw)  # fmt: skip


def events(store, exception_id):
    return [
        (r[5], r[6], r[7])  # action, from, to
        for r in table_rows(store, "events", "event_no")
        if r[1] == exception_id
    ]


def test_new_findings_are_open_and_seen_first_by_this_run(store, con):
    outcome = record(store, con, 1, [F("T1"), F("T2")])
    assert outcome.new == ("EX-DEBI-T1", "EX-DEBI-T2")
    rows = con.sql("SELECT exception_id, status, first_seen_run, last_seen_run FROM exceptions")
    assert sorted(rows.fetchall()) == [
        ("EX-DEBI-T1", "OPEN", "run-1", "run-1"),
        ("EX-DEBI-T2", "OPEN", "run-1", "run-1"),
    ]


def test_exceptions_table_has_the_contract_columns_first_then_report_columns(store, con):
    record(store, con, 1, [F("T1")])
    columns = [d[0] for d in con.execute("SELECT * FROM exceptions").description]
    assert columns[:16] == CONTRACT_COLUMNS
    assert columns[16:] == [
        "event_at", "channel", "age_hours", "severity", "sla_due_at", "sla_breached", "assignee",
    ]  # fmt: skip


def test_detected_at_is_when_the_first_run_that_found_it_started(store, con):
    record(store, con, 1, [F("T1")])
    record(store, con, 2, [F("T1")])
    assert exceptions_by_id(store)["EX-DEBI-T1"]["detected_at"] == run_info(1).started_at


def test_rerun_of_the_same_findings_changes_only_last_seen_run(store, con):
    record(store, con, 1, [F("T1"), F("T2")])
    before = exceptions_by_id(store)
    events_before = table_rows(store, "events")
    outcome = record(store, con, 2, [F("T1"), F("T2")])
    after = exceptions_by_id(store)
    assert outcome.new == ()
    assert outcome.still_open == ("EX-DEBI-T1", "EX-DEBI-T2")
    assert {k: {**v, "last_seen_run": None} for k, v in after.items()} == {
        k: {**v, "last_seen_run": None} for k, v in before.items()
    }
    assert {v["last_seen_run"] for v in after.values()} == {"run-2"}
    assert table_rows(store, "events") == events_before


def test_a_changed_amount_is_updated_without_a_new_id_or_event(store, con):
    record(store, con, 1, [F("T1", amount="100.00")])
    record(store, con, 2, [F("T1", amount="60.00")])
    assert exceptions_by_id(store)["EX-DEBI-T1"]["amount"] == Decimal("60.00")
    assert events(store, "EX-DEBI-T1") == [("DETECTED", None, "OPEN")]


def test_finding_no_longer_seen_on_an_evaluated_transfer_self_heals(store, con):
    record(store, con, 1, [F("T1"), F("T2")])
    outcome = record(store, con, 2, [F("T2")], evaluated=["T1", "T2"])
    assert outcome.healed == ("EX-DEBI-T1",)
    healed = exceptions_by_id(store)["EX-DEBI-T1"]
    assert healed["status"] == "SELF_HEALED"
    assert healed["closed_at"] == at(2)
    assert events(store, "EX-DEBI-T1")[-1] == ("SELF_HEALED", "OPEN", "SELF_HEALED")
    assert con.sql("SELECT exception_id FROM exceptions").fetchall() == [("EX-DEBI-T2",)]


def test_exception_about_a_transfer_this_run_did_not_see_is_left_alone(store, con):
    record(store, con, 1, [F("T1"), F("T2")])
    outcome = record(store, con, 2, [F("T2")], evaluated=["T2"])
    assert outcome.healed == ()
    assert exceptions_by_id(store)["EX-DEBI-T1"]["status"] == "OPEN"
    assert exceptions_by_id(store)["EX-DEBI-T1"]["last_seen_run"] == "run-1"


def test_healed_finding_that_appears_again_is_reopened_with_its_history(store, con):
    record(store, con, 1, [F("T1")])
    record(store, con, 2, [], evaluated=["T1"])
    outcome = record(store, con, 3, [F("T1")])
    assert outcome.reopened == ("EX-DEBI-T1",)
    row = exceptions_by_id(store)["EX-DEBI-T1"]
    assert (row["status"], row["first_seen_run"], row["last_seen_run"]) == (
        "OPEN",
        "run-1",
        "run-3",
    )
    assert events(store, "EX-DEBI-T1") == [
        ("DETECTED", None, "OPEN"),
        ("SELF_HEALED", "OPEN", "SELF_HEALED"),
        ("REOPENED", "SELF_HEALED", "OPEN"),
    ]


def test_assigned_exception_heals_too_and_keeps_who_had_it(store, con):
    record(store, con, 1, [F("T1")])
    assign(store, "EX-DEBI-T1", to="ann", actor="lead")
    record(store, con, 2, [], evaluated=["T1"])
    row = exceptions_by_id(store)["EX-DEBI-T1"]
    assert (row["status"], row["assignee"]) == ("SELF_HEALED", "ann")


def test_resolved_exception_found_again_stays_resolved(store, con):
    record(store, con, 1, [F("T1")])
    resolve(store, "EX-DEBI-T1", code="CORRECTED", note="credit posted", actor="ann")
    outcome = record(store, con, 2, [F("T1")])
    row = exceptions_by_id(store)["EX-DEBI-T1"]
    assert (row["status"], row["last_seen_run"]) == ("RESOLVED", "run-2")
    assert outcome.reopened == ()
    assert outcome.still_open == ()
    assert con.execute("SELECT count(*) FROM exceptions").fetchone() == (0,)


def test_resolved_exception_not_found_again_is_not_healed(store, con):
    record(store, con, 1, [F("T1")])
    resolve(store, "EX-DEBI-T1", code="REFUNDED", note="refund R1", actor="ann")
    outcome = record(store, con, 2, [], evaluated=["T1"])
    assert outcome.healed == ()
    assert exceptions_by_id(store)["EX-DEBI-T1"]["status"] == "RESOLVED"


def test_open_exceptions_of_earlier_runs_stay_in_the_exceptions_table(store, con):
    record(store, con, 1, [F("T1")])
    outcome = record(store, con, 2, [F("T2")], evaluated=["T2"])
    assert outcome.open_total == 2
    assert con.execute("SELECT count(*) FROM exceptions").fetchone() == (2,)


def test_run_record_keeps_actor_parameters_files_counts_and_outcome(store, con):
    load_findings(con, [F("T1")])
    run = replace(
        run_info(1),
        params={"grace_minutes": 30, "annual_rate": Decimal("0.05")},
        files=(InputFile("ledger", "d/ledger.csv", "csv", "ab12", 3, Decimal("10.00")),),
        counts={"ledger": SourceCounts(read=3, valid=2, quarantined=1)},
    )
    record_run(store, con, run, actor="nightly", now=at(1), timings={"ingest": 1.5})
    (row,) = table_rows(store, "runs")
    assert row[:2] == ("run-1", "nightly")
    assert json.loads(row[7]) == {"annual_rate": "0.05", "grace_minutes": 30}
    assert json.loads(row[8]) == {"ingest": 1.5}
    assert row[9:17] == ("OK", None, 1, 1, 0, 0, 0, 1)
    assert table_rows(store, "run_files") == [
        ("run-1", "ledger", "d/ledger.csv", "csv", "ab12", 3, Decimal("10.00"))
    ]
    assert table_rows(store, "run_counts") == [("run-1", "ledger", 3, 2, 1, 0)]


def test_incident_id_tags_every_finding_the_run_saw(store, con):
    record(store, con, 1, [F("T1"), F("T2")], incident_id="INC-7")
    record(store, con, 2, [F("T2")], evaluated=["T2"], incident_id="INC-8")
    assert table_rows(store, "incident_tags") == [
        ("INC-7", "EX-DEBI-T1", "run-1"),
        ("INC-7", "EX-DEBI-T2", "run-1"),
        ("INC-8", "EX-DEBI-T2", "run-2"),
    ]
    assert [r[6] for r in table_rows(store, "runs", "run_id")] == ["INC-7", "INC-8"]


def test_evidence_rows_are_copied_with_file_and_line(store, con):
    con.execute(
        "CREATE TABLE ledger AS SELECT 'E1' AS entry_id, 'T1' AS txn_ref,"
        " 12.50::DECIMAL(18,2) AS amount, 'in/ledger.csv' AS _file, 7::BIGINT AS _line"
    )
    record(store, con, 1, [F("T1", evidence="ledger:E1;channel:R9")])
    rows = table_rows(store, "evidence_rows", "position")
    assert [r[:6] for r in rows] == [
        ("EX-DEBI-T1", 1, "ledger", "E1", "in/ledger.csv", 7),
        ("EX-DEBI-T1", 2, "channel", "R9", None, None),
    ]
    assert json.loads(rows[0][6])["amount"] == 12.5


def test_evidence_rows_are_replaced_when_the_evidence_changes(store, con):
    record(store, con, 1, [F("T1", evidence="ledger:E1")])
    record(store, con, 2, [F("T1", evidence="ledger:E1;gateway:G4")])
    rows = table_rows(store, "evidence_rows", "position")
    assert [(r[2], r[3], r[7]) for r in rows] == [
        ("ledger", "E1", "run-2"),
        ("gateway", "G4", "run-2"),
    ]


def test_findings_with_a_repeated_exception_id_are_refused_before_the_store(store, con):
    with pytest.raises(StoreError, match="EX-SAME 2 times"):
        record(store, con, 1, [F("T1", exception_id="EX-SAME"), F("T2", exception_id="EX-SAME")])
    assert untouched(store)


def test_a_run_id_is_recorded_once(store, con):
    record(store, con, 1, [F("T1")])
    with pytest.raises(StoreError, match="run-1 is already recorded"):
        record(store, con, 1, [F("T1")])


def test_failed_run_is_logged_and_changes_no_exception(store, con):
    record(store, con, 1, [F("T1")])
    before = exceptions_by_id(store)
    record_failed_run(store, run_info(2), "ledger.csv: control total rows is 10 but 9", now=at(2))
    assert exceptions_by_id(store) == before
    runs = table_rows(store, "runs", "run_id")
    assert (runs[1][0], runs[1][9], runs[1][10]) == (
        "run-2", "FAILED", "ledger.csv: control total rows is 10 but 9",
    )  # fmt: skip


def test_failed_run_creates_the_store_when_there_is_none(store):
    record_failed_run(store, run_info(1), "no ledger extract")
    assert [r[9] for r in table_rows(store, "runs")] == ["FAILED"]
    assert table_rows(store, "exceptions") == []


def test_run_failing_after_the_store_step_is_marked_failed_with_its_findings_kept(store, con):
    record(store, con, 1, [F("T1")])
    record_failed_run(store, run_info(1), "disk full writing report.html")
    (row,) = table_rows(store, "runs")
    assert (row[9], row[10]) == ("FAILED", "disk full writing report.html")
    assert exceptions_by_id(store)["EX-DEBI-T1"]["status"] == "OPEN"


def test_evidence_rows_come_from_each_source_by_its_own_key(store, con):
    for table, key, value in [
        ("ledger", "entry_id", "E1"),
        ("channel", "request_id", "R1"),
        ("gateway", "gateway_ref", "G1"),
        ("invoices", "invoice_id", "I1"),
    ]:
        con.execute(
            f"CREATE TABLE {table} AS SELECT $v AS {key}, 'T1' AS txn_ref,"
            f" '{table}.csv' AS _file, 2::BIGINT AS _line",
            {"v": value},
        )
    record(store, con, 1, [F("T1", evidence="ledger:E1;channel:R1;gateway:G1;invoices:I1")])
    rows = table_rows(store, "evidence_rows", "position")
    assert [(r[3], r[4]) for r in rows] == [
        ("E1", "ledger.csv"), ("R1", "channel.csv"), ("G1", "gateway.csv"), ("I1", "invoices.csv"),
    ]  # fmt: skip
