"""DOUBLE_CREDIT_RISK: a break an analyst corrected by hand (resolved CORRECTED) whose late
leg then arrives has moved the money twice; the next run says so. Hand-made extracts: day 1
a debit without its credit, day 2 the same transfer with the late credit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recon.store.actions import resolve
from recon.store.audit import verify_store
from recon.store.commands import main as exceptions_main
from recon.store.proposals import acknowledge_alert, alerts

from .remedy_builders import reconcile, stored, write_day

DAY1 = datetime(2024, 3, 16, tzinfo=UTC)
DAY2 = datetime(2024, 3, 17, tzinfo=UTC)


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    root = tmp_path_factory.mktemp("days")
    return write_day(root / "day1", late_credit=False), write_day(root / "day2", late_credit=True)


def day_one_resolved(days, tmp_path, code: str) -> tuple:
    """The store after day 1, its one exception resolved with `code` by alice."""
    store = tmp_path / "store.duckdb"
    reconcile(days[0], tmp_path / "out1", store, DAY1)
    ((exception_id,),) = stored(store, "SELECT exception_id FROM exceptions")
    resolve(store, exception_id, code=code, note="credit posted by hand", actor="alice")
    return store, exception_id


def test_a_corrected_break_whose_late_credit_arrives_raises_an_alert(days, tmp_path):
    store, exception_id = day_one_resolved(days, tmp_path, "CORRECTED")
    reconcile(days[1], tmp_path / "out2", store, DAY2)
    (alert,) = alerts(store)
    assert (alert["exception_id"], alert["kind"], alert["resolved_by"], alert["active"]) == (
        exception_id,
        "DOUBLE_CREDIT_RISK",
        "alice",
        True,
    )
    assert "100.00 CNY may have been credited twice" in alert["note"]


def test_a_false_positive_whose_late_credit_arrives_raises_none(days, tmp_path):
    store, _ = day_one_resolved(days, tmp_path, "FALSE_POSITIVE")
    reconcile(days[1], tmp_path / "out2", store, DAY2)
    assert alerts(store) == []


def test_the_alert_is_raised_once_whatever_reruns_see(days, tmp_path):
    store, _ = day_one_resolved(days, tmp_path, "CORRECTED")
    reconcile(days[1], tmp_path / "out2", store, DAY2)
    reconcile(days[1], tmp_path / "out3", store, DAY2)
    assert stored(store, "SELECT count(*) FROM alerts") == [(1,)]
    assert stored(store, "SELECT count(*) FROM events WHERE action = 'DOUBLE_CREDIT_RISK'") == [
        (1,)
    ]


def test_the_resolution_stands_and_the_alert_is_an_event_in_the_chain(days, tmp_path):
    store, exception_id = day_one_resolved(days, tmp_path, "CORRECTED")
    reconcile(days[1], tmp_path / "out2", store, DAY2)
    assert stored(
        store,
        "SELECT status, resolution_code FROM exceptions WHERE exception_id = $id",
        {"id": exception_id},
    ) == [("RESOLVED", "CORRECTED")]
    (event,) = stored(
        store,
        "SELECT actor, run_id IS NOT NULL, from_status, to_status FROM events"
        " WHERE action = 'DOUBLE_CREDIT_RISK'",
    )
    assert event[1:] == (True, "RESOLVED", "RESOLVED")
    assert verify_store(store).intact


def test_the_queue_names_the_alert_until_an_analyst_acknowledges_it(days, tmp_path, capsys):
    store, exception_id = day_one_resolved(days, tmp_path, "CORRECTED")
    reconcile(days[1], tmp_path / "out2", store, DAY2)
    capsys.readouterr()
    assert exceptions_main(["exceptions", "list", "--store", str(store)]) == 0
    assert f"1 DOUBLE_CREDIT_RISK alert(s) to check: {exception_id}" in capsys.readouterr().out
    acknowledge_alert(store, exception_id, actor="bob", note="reversed the extra credit GL-9")
    assert alerts(store, active_only=True) == []
    assert exceptions_main(["exceptions", "list", "--store", str(store)]) == 0
    assert "DOUBLE_CREDIT_RISK" not in capsys.readouterr().out
