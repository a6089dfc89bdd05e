"""Proposed corrections and compensation: PROPOSED -> APPROVED | REJECTED, APPROVED ->
POSTED, decided under the one maker-checker rule, every change an event in the audit chain,
a stale version refused."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from recon.errors import (
    IllegalTransitionError,
    PermissionDenied,
    StaleVersionError,
    StoreError,
)
from recon.store.actions import resolve
from recon.store.audit import verify_store
from recon.store.proposals import (
    approve,
    list_proposals,
    post,
    propose,
    reject,
)

from .builders import F, at, store_state
from .remedy_builders import add_user, run_with_remedies, stored

EX = "EX-DEBI-T1"


@pytest.fixture
def found(store):
    """One open exception with one suggested correction (a reversal) and a compensation."""
    run_with_remedies(store, 1, [F("T1")], action="REVERSE_DEBIT")
    return store


def proposed(store, by: str = "bob"):
    return propose(store, EX, "CORRECTION", actor=by, now=at(2))


def approved(store):
    return approve(store, proposed(store).proposal_id, actor="carol", now=at(3))


def test_a_proposal_copies_the_runs_suggestion_and_starts_proposed(found):
    p = proposed(found)
    assert (p.proposal_id, p.state, p.amount, p.currency, p.version) == (
        "P-000001",
        "PROPOSED",
        Decimal("100.00"),
        "CNY",
        1,
    )
    assert (p.suggestion_id, p.suggestion_revision) == ("CR-DEBI-T1-REVERSE_DEBIT", 1)
    assert [leg["direction"] for leg in p.detail["legs"]] == ["D", "C"]


def test_an_exception_with_two_ways_to_correct_it_needs_one_chosen(store):
    run_with_remedies(store, 1, [F("T1")], payees={"T1": "AC9"})
    with pytest.raises(StoreError, match="choose one"):
        propose(store, EX, "CORRECTION", actor="bob")
    p = propose(store, EX, "CORRECTION", "CR-DEBI-T1-POST_CREDIT", actor="bob")
    assert p.detail["legs"][1]["account_id"] == "AC9"


def test_a_correction_written_by_hand_must_balance(found):
    legs = [
        {"direction": "D", "account_id": "SUSPENSE-CNY", "amount": "100.00"},
        {"direction": "C", "account_id": "A1", "amount": "90.00"},
    ]
    with pytest.raises(StoreError, match=re.escape("debits 100.00, credits 90.00")):
        propose(found, EX, "CORRECTION", detail={"currency": "CNY", "legs": legs}, actor="bob")


def test_a_second_proposal_in_flight_for_the_same_exception_and_kind_is_refused(found):
    first = proposed(found)
    with pytest.raises(IllegalTransitionError, match=f"{first.proposal_id} PROPOSED"):
        proposed(found, by="dan")


def test_the_proposer_may_not_approve_their_own_proposal(found):
    p = proposed(found, by="bob")
    before = store_state(found)
    with pytest.raises(PermissionDenied, match="bob proposed P-000001; the approver must be"):
        approve(found, p.proposal_id, actor="bob")
    assert store_state(found) == before


def test_the_proposer_is_recognised_whatever_the_case_of_the_name(found):
    p = proposed(found, by="bob")
    with pytest.raises(PermissionDenied, match="proposed P-000001"):
        approve(found, p.proposal_id, actor="Bob")


def test_the_proposer_may_not_reject_their_own_proposal_either(found):
    p = proposed(found, by="bob")
    with pytest.raises(PermissionDenied, match="the approver must be someone else"):
        reject(found, p.proposal_id, actor="bob", note="changed my mind")


def test_whoever_resolved_the_exception_may_not_approve(found):
    resolve(found, EX, code="CORRECTED", note="entries posted", actor="carol")
    p = proposed(found, by="bob")
    with pytest.raises(PermissionDenied, match=f"carol resolved {EX}"):
        approve(found, p.proposal_id, actor="carol")


def test_a_listed_proposal_names_who_resolved_its_exception(found):
    """What a page needs to ask the maker-checker rule before offering Approve."""
    p = proposed(found, by="bob")
    assert list_proposals(found, exception_id=EX)[0].resolved_by is None
    resolve(found, EX, code="CORRECTED", note="entries posted", actor="carol")
    assert list_proposals(found, exception_id=EX)[0].resolved_by == "carol"
    assert p.proposal_id == list_proposals(found, exception_id=EX)[0].proposal_id


def test_someone_who_neither_proposed_nor_resolved_approves(found):
    resolve(found, EX, code="CORRECTED", note="entries posted", actor="carol")
    p = approve(found, proposed(found).proposal_id, actor="dan", note="checked", now=at(3))
    assert (p.state, p.decided_by, p.decided_at, p.decision_note, p.version) == (
        "APPROVED",
        "dan",
        at(3),
        "checked",
        2,
    )


def test_an_analyst_may_propose_but_not_approve(found):
    add_user(found, "bob", "analyst")
    add_user(found, "ann", "analyst")
    p = proposed(found, by="bob")
    with pytest.raises(PermissionDenied, match=r"ann \(analyst\) may not approve"):
        approve(found, p.proposal_id, actor="ann")


def test_a_viewer_may_not_propose(found):
    add_user(found, "vic", "viewer")
    with pytest.raises(PermissionDenied, match=r"vic \(viewer\) may not propose"):
        proposed(found, by="vic")


def test_on_a_store_with_users_an_approver_approves(found):
    add_user(found, "bob", "analyst")
    add_user(found, "carol", "approver")
    assert approve(found, proposed(found).proposal_id, actor="carol").state == "APPROVED"


ILLEGAL = [
    ("APPROVED", "approve"),
    ("APPROVED", "reject"),
    ("REJECTED", "approve"),
    ("REJECTED", "reject"),
    ("REJECTED", "post"),
    ("POSTED", "approve"),
    ("POSTED", "reject"),
    ("POSTED", "post"),
    ("PROPOSED", "post"),
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_writes_nothing(found, state, action):
    p = proposed(found)
    if state in ("APPROVED", "POSTED"):
        approve(found, p.proposal_id, actor="carol")
    if state == "REJECTED":
        reject(found, p.proposal_id, actor="carol", note="wrong account")
    if state == "POSTED":
        post(found, p.proposal_id, actor="bob", posting_ref="GL-1")
    before = store_state(found)
    do = {
        "approve": lambda: approve(found, p.proposal_id, actor="dan"),
        "reject": lambda: reject(found, p.proposal_id, actor="dan", note="no"),
        "post": lambda: post(found, p.proposal_id, actor="bob", posting_ref="GL-2"),
    }[action]
    with pytest.raises(IllegalTransitionError, match=f"P-000001 is {state}; it cannot be"):
        do()
    assert store_state(found) == before


def test_posting_records_the_reference_and_who_posted_it(found):
    p = post(found, approved(found).proposal_id, actor="bob", posting_ref="GL-77", now=at(4))
    assert (p.state, p.posting_ref, p.posted_by, p.posted_at, p.version) == (
        "POSTED",
        "GL-77",
        "bob",
        at(4),
        3,
    )


def test_posting_needs_a_reference(found):
    p = approved(found)
    with pytest.raises(StoreError, match="posting needs the posting reference"):
        post(found, p.proposal_id, actor="bob", posting_ref="  ")


def test_a_rejection_needs_a_note(found):
    with pytest.raises(StoreError, match="needs a note"):
        reject(found, proposed(found).proposal_id, actor="carol", note="")


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(found):
    p = proposed(found)
    approve(found, p.proposal_id, actor="carol", now=at(3))
    with pytest.raises(StaleVersionError, match="changed by carol at 2024-03-16 04:01:00Z"):
        post(found, p.proposal_id, actor="bob", posting_ref="GL-1", expected_version=1)


def test_approved_but_unposted_proposals_age_until_posted(found):
    p = approved(found)  # approved at at(3)
    later = at(3) + timedelta(hours=30)
    assert p.unposted_hours(later) == Decimal("30.0")
    waiting = list_proposals(found, unposted_older_than_hours=24, as_of=later)
    assert [w.proposal_id for w in waiting] == [p.proposal_id]
    assert list_proposals(found, unposted_older_than_hours=31, as_of=later) == []
    post(found, p.proposal_id, actor="bob", posting_ref="GL-1")
    assert list_proposals(found, unposted_older_than_hours=24, as_of=later) == []


def test_a_correction_of_an_exception_that_healed_since_cannot_be_approved(found):
    p = proposed(found)
    run_with_remedies(found, 2, [], evaluated=["T1"])  # the late credit came: SELF_HEALED
    with pytest.raises(IllegalTransitionError, match="SELF_HEALED since P-000001"):
        approve(found, p.proposal_id, actor="carol")


def test_every_change_is_an_event_of_the_exception_and_the_chain_verifies(found):
    p = approved(found)
    post(found, p.proposal_id, actor="bob", posting_ref="GL-1")
    events = stored(
        found,
        "SELECT actor, action, from_status, to_status FROM events"
        " WHERE exception_id = $id AND run_id IS NULL ORDER BY event_no",
        {"id": EX},
    )
    assert events == [
        ("bob", "CORRECTION_PROPOSED", None, "PROPOSED"),
        ("carol", "CORRECTION_APPROVED", "PROPOSED", "APPROVED"),
        ("bob", "CORRECTION_POSTED", "APPROVED", "POSTED"),
    ]
    assert verify_store(found).intact
