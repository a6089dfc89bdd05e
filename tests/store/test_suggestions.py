"""A run keeps what it suggests (corrections, compensation) in the store, in its one
transaction, keyed so that a rerun never duplicates a suggestion and a changed figure
becomes a new revision with the old one kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from recon.store.proposals import suggestions_for

from .builders import F, store_state
from .remedy_builders import reconcile, run_with_remedies, stored, write_day

CUTOFF = datetime(2024, 3, 16, tzinfo=UTC)


def only_exception(store) -> str:
    (row,) = stored(store, "SELECT exception_id FROM exceptions")
    return row[0]


def test_a_debit_without_its_credit_keeps_both_ways_to_correct_it_apart(tmp_path):
    store = tmp_path / "store.duckdb"
    reconcile(write_day(tmp_path / "day1", late_credit=False), tmp_path / "out", store, CUTOFF)
    found = suggestions_for(store, only_exception(store), kind="CORRECTION")
    legs = {s["alternative"]: s["detail"]["legs"] for s in found}
    assert legs == {
        "POST_CREDIT": [
            {"direction": "D", "account_id": "SUSPENSE-CNY", "amount": "100.00"},
            {"direction": "C", "account_id": "AC0002", "amount": "100.00"},
        ],
        "REVERSE_DEBIT": [
            {"direction": "D", "account_id": "SUSPENSE-CNY", "amount": "100.00"},
            {"direction": "C", "account_id": "AC0001", "amount": "100.00"},
        ],
    }


def test_the_compensation_suggestion_names_customer_amount_and_basis(tmp_path):
    store = tmp_path / "store.duckdb"
    reconcile(write_day(tmp_path / "day1", late_credit=False), tmp_path / "out", store, CUTOFF)
    (found,) = suggestions_for(store, only_exception(store), kind="COMPENSATION")
    assert (found["customer_id"], found["amount"], found["currency"]) == (
        "C1",
        Decimal("0.01"),
        "CNY",
    )
    assert found["detail"]["basis"] == (
        "interest at 0.05 a year on 100.00 CNY held until the cutoff 2024-03-16T00:00:00+00:00"
    )


def test_a_rerun_of_the_same_findings_adds_no_suggestion_and_no_revision(store):
    run_with_remedies(store, 1, [F("T1")], payees={"T1": "AC9"})
    before = stored(store, "SELECT * FROM suggestions ORDER BY ALL")
    run_with_remedies(store, 2, [F("T1")], payees={"T1": "AC9"})
    after = stored(store, "SELECT suggestion_id, revision, updated_run, last_run FROM suggestions")
    assert len(after) == len(before) == 3
    assert {(r[1], r[2], r[3]) for r in after} == {(1, "run-1", "run-2")}
    assert stored(store, "SELECT count(*) FROM suggestion_history") == [(3,)]


def test_a_changed_figure_becomes_a_new_revision_and_the_old_one_is_kept(store):
    run_with_remedies(store, 1, [F("T1")], action="REVERSE_DEBIT")
    run_with_remedies(store, 2, [F("T1", amount="80.00")], action="REVERSE_DEBIT")
    (found,) = suggestions_for(store, "EX-DEBI-T1", kind="CORRECTION")
    assert (found["amount"], found["revision"], found["updated_run"]) == (
        Decimal("80.00"),
        2,
        "run-2",
    )
    assert [(h["revision"], h["run_id"], h["amount"]) for h in found["history"]] == [
        (1, "run-1", Decimal("100.00")),
        (2, "run-2", Decimal("80.00")),
    ]


def test_a_run_that_fails_keeps_no_suggestion(store):
    run_with_remedies(store, 1, [F("T1")], action="REVERSE_DEBIT")
    before = store_state(store)
    try:
        run_with_remedies(store, 2, [F("T1", amount="80.00"), F("T2")], fail=True)
    except RuntimeError:
        pass
    assert store_state(store) == before


def test_an_exception_this_run_did_not_see_keeps_what_its_own_run_suggested(store):
    run_with_remedies(store, 1, [F("T1")], payees={"T1": "AC9"})
    run_with_remedies(store, 2, [F("T2")], evaluated=["T2"])  # another day: T1 not seen
    rows = stored(
        store,
        "SELECT suggestion_id, detail, last_run FROM suggestions WHERE exception_id = 'EX-DEBI-T1'",
    )
    assert {r[2] for r in rows} == {"run-1"}
    post_credit = [json.loads(r[1]) for r in rows if r[0].endswith("POST_CREDIT")]
    assert post_credit[0]["legs"][1]["account_id"] == "AC9"
