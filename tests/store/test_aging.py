"""Age, severity and SLA of open exceptions, as the run table and `list` show them.

Default SlaPolicy: HIGH from 10000, MEDIUM from 1000; 4 / 24 / 72 hours to act.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from recon.config import SlaPolicy
from recon.store import record_run
from recon.store.actions import resolve
from recon.store.queries import ExceptionFilter, list_exceptions

from .builders import F, load_findings, run_info

DETECTED = run_info(1).started_at


def aged(store, con, findings, hours_later, sla=None):
    load_findings(con, findings)
    record_run(
        store, con, run_info(1), actor="t", now=DETECTED + timedelta(hours=hours_later), sla=sla
    )
    return {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT txn_ref, severity, age_hours, sla_due_at, sla_breached FROM exceptions"
        ).fetchall()
    }


def test_severity_follows_the_amount_thresholds(store, con):
    got = aged(
        store,
        con,
        [F("T1", "10000.00"), F("T2", "9999.99"), F("T3", "1000.00"), F("T4", "999.99")],
        0,
    )
    assert {k: v[0] for k, v in got.items()} == {
        "T1": "HIGH", "T2": "MEDIUM", "T3": "MEDIUM", "T4": "LOW",
    }  # fmt: skip


def test_sla_due_is_detection_plus_the_hours_of_the_severity(store, con):
    got = aged(store, con, [F("T1", "20000.00"), F("T2", "5000.00"), F("T3", "5.00")], 0)
    assert got["T1"][2] == DETECTED + timedelta(hours=4)
    assert got["T2"][2] == DETECTED + timedelta(hours=24)
    assert got["T3"][2] == DETECTED + timedelta(hours=72)


def test_age_is_hours_since_detection_to_one_decimal(store, con):
    got = aged(store, con, [F("T1")], 5.25)
    assert got["T1"][1] == Decimal("5.3")


def test_sla_is_breached_only_after_its_due_time(store, con):
    got = aged(store, con, [F("T1", "20000.00"), F("T2", "5000.00")], 5)
    assert got["T1"][3] is True
    assert got["T2"][3] is False


def test_sla_policy_from_config_changes_the_grading(store, con):
    policy = SlaPolicy(high_amount=Decimal("50"), medium_amount=Decimal("10"), high_hours=1)
    got = aged(store, con, [F("T1", "60.00"), F("T2", "20.00")], 2, sla=policy)
    assert (got["T1"][0], got["T1"][3]) == ("HIGH", True)
    assert got["T2"][0] == "MEDIUM"


def test_a_closed_exception_stops_ageing_when_it_closed(store, con):
    aged(store, con, [F("T1")], 0)
    resolve(
        store,
        "EX-DEBI-T1",
        code="CORRECTED",
        note="n",
        actor="a",
        now=DETECTED + timedelta(hours=3),
    )
    (row,) = list_exceptions(
        store, ExceptionFilter(statuses=()), as_of=DETECTED + timedelta(hours=100)
    ).to_dicts()
    assert row["age_hours"] == Decimal("3.0")
    assert row["sla_breached"] is False
