"""The team's changes in the audit trail: the chain verifies after each kind of action, and
`recon audit log` answers "who did what today", user changes included."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from recon.cli import main as recon
from recon.store.actions import (
    add_attachment,
    add_comment,
    assign,
    bulk,
    reassign,
    reopen,
    resolve,
)
from recon.store.audit import verify_store
from recon.store.audit_cli import _moment
from recon.store.users import add_user, disable_user, set_password

from .team import PASSWORD, ex, team_store

ACTIONS = {
    "assign": lambda s: assign(s, ex("T1"), to="ann", actor="ann"),
    "reassign": lambda s: reassign(s, ex("T1"), to="bob", note="cover", actor="lead"),
    "resolve": lambda s: resolve(s, ex("T1"), code="CORRECTED", note="posted", actor="ann"),
    "reopen": lambda s: (
        resolve(s, ex("T1"), code="CORRECTED", note="posted", actor="ann"),
        reopen(s, ex("T1"), note="not posted after all", actor="bob"),
    ),
    "comment": lambda s: add_comment(s, ex("T1"), text="called", actor="ann"),
    "attach": lambda s: add_attachment(s, ex("T1"), name="a.txt", content=b"a", actor="ann"),
    "bulk": lambda s: bulk(s, [ex("T1"), ex("T2")], "assign", to="ann", note=None, actor="ann"),
    "add user": lambda s: add_user(s, "eve", "viewer", PASSWORD, actor="lead"),
    "disable user": lambda s: disable_user(s, "bob", actor="lead"),
    "set password": lambda s: set_password(s, "ann", "another long one", actor="ann"),
}


@pytest.fixture
def team(store, con):
    return team_store(store, con)


@pytest.mark.parametrize("act", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_audit_chain_verifies_after_each_kind_of_action(team, act):
    act(team)
    verdict = verify_store(team)
    assert verdict.intact, verdict.breaks


def log(capsys, store, *argv):
    assert recon(["audit", "log", "--store", str(store), "--format", "json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_user_changes_comments_and_attachments_are_in_the_log(team, capsys):
    add_comment(team, ex("T1"), text="called", actor="ann")
    add_attachment(team, ex("T1"), name="a.txt", content=b"a", actor="ann")
    actions = [(e["exception_id"], e["action"]) for e in log(capsys, team)]
    assert ("user:ann", "USER_ADDED") in actions
    assert actions[-2:] == [(ex("T1"), "COMMENTED"), (ex("T1"), "ATTACHED")]


def test_the_log_filters_by_action(team, capsys):
    added = log(capsys, team, "--action", "user_added")
    assert [e["note"] for e in added] == [
        "added lead as admin",
        "added ann as analyst",
        "added bob as analyst",
        "added apr as approver",
        "added vic as viewer",
    ]


def test_since_today_is_what_happened_since_local_midnight(team, capsys):
    # the team store's users were added just now, its run long ago (2024)
    today = log(capsys, team, "--since", "today")
    assert today
    assert {e["action"] for e in today} == {"USER_ADDED"}


def test_today_and_yesterday_are_local_midnights():
    now = datetime(2026, 3, 2, 15, 45, tzinfo=UTC)
    today = _moment("today", now=now)
    assert today.astimezone().time().isoformat() == "00:00:00"
    assert now - today < timedelta(days=1, hours=14)
    assert today - _moment("Yesterday", now=now) == timedelta(days=1)
