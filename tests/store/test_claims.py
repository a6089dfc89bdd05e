"""Claim protection: an item someone holds is taken only by a lead's reassign, recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recon.errors import ClaimedError, PermissionDenied, StoreError
from recon.store.actions import assign, reassign, resolve
from recon.store.commands import main

from .builders import exceptions_by_id, table_rows
from .team import ex, team_store

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def team(store, con):
    store = team_store(store, con)
    assign(store, ex("T1"), to="ann", actor="ann", now=T)
    return store


@pytest.fixture
def bare(store, con):
    store = team_store(store, con, users=False)
    assign(store, ex("T1"), to="ann", actor="ann", now=T)
    return store


def test_taking_an_item_someone_holds_is_refused_naming_holder_and_since(team):
    with pytest.raises(ClaimedError) as refused:
        assign(team, ex("T1"), to="bob", actor="bob")
    assert str(refused.value).startswith(f"{ex('T1')} is held by ann since 2026-03-02T09:30:00Z")
    assert exceptions_by_id(team)[ex("T1")]["assignee"] == "ann"


def test_an_admin_assigning_a_held_item_is_refused_too(team):
    with pytest.raises(ClaimedError, match="reassign"):
        assign(team, ex("T1"), to="bob", actor="lead")


def test_the_holder_assigning_it_to_themself_again_is_not_a_claim(team):
    assert assign(team, ex("T1"), to="ann", actor="ann").to_status == "ASSIGNED"


def test_an_admin_reassigns_a_held_item_recorded_with_the_note(team):
    done = reassign(team, ex("T1"), to="bob", note="ann is on leave", actor="lead")
    assert done.action == "REASSIGNED"
    assert exceptions_by_id(team)[ex("T1")]["assignee"] == "bob"
    last = table_rows(team, "events", "event_no")[-1]
    assert (last[3], last[5], last[8]) == (
        "lead",
        "REASSIGNED",
        "reassigned from ann to bob: ann is on leave",
    )


def test_an_analyst_may_not_reassign(team):
    with pytest.raises(PermissionDenied, match=r"bob \(analyst\) may not reassign; admin may"):
        reassign(team, ex("T1"), to="bob", note="mine now", actor="bob")


def test_a_reassign_needs_a_note(team):
    with pytest.raises(StoreError, match="needs a note"):
        reassign(team, ex("T1"), to="bob", note=" ", actor="lead")


def test_a_resolved_item_is_not_held(team):
    resolve(team, ex("T1"), code="CORRECTED", note="posted", actor="ann")
    with pytest.raises(StoreError, match="is RESOLVED"):
        assign(team, ex("T1"), to="bob", actor="bob")


def test_without_users_a_held_item_still_needs_the_explicit_reassign(bare):
    with pytest.raises(ClaimedError):
        assign(bare, ex("T1"), to="bob", actor="bob")
    reassign(bare, ex("T1"), to="bob", note="ann asked me", actor="bob")
    assert exceptions_by_id(bare)[ex("T1")]["assignee"] == "bob"


def test_the_cli_refuses_a_claimed_item_in_one_line_with_exit_2(team, capsys):
    code = main(["exceptions", "assign", ex("T1"), "--to", "bob", "--actor", "bob",
                 "--store", str(team)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "is held by ann" in err


def test_the_cli_reassign_takes_a_held_item(team, capsys):
    code = main(["exceptions", "reassign", ex("T1"), "--to", "bob", "--note", "leave",
                 "--actor", "lead", "--store", str(team)])  # fmt: skip
    assert code == 0
    assert "ASSIGNED -> ASSIGNED by lead (reassigned from ann to bob: leave)" in (
        capsys.readouterr().out
    )
