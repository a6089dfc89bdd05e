"""Who acts: free names on a store without users; enabled users with roles once it has some."""

from __future__ import annotations

import pytest

from recon.errors import PermissionDenied
from recon.store import record_run
from recon.store.actions import add_comment, assign, resolve
from recon.store.commands import main
from recon.store.users import disable_user

from .builders import at, exceptions_by_id, load_findings, run_info, table_rows
from .team import FINDINGS, ex, team_store


@pytest.fixture
def team(store, con):
    return team_store(store, con)


def test_a_store_without_users_takes_any_actor_as_before(store, con):
    team_store(store, con, users=False)
    done = resolve(store, ex("T1"), code="CORRECTED", note="posted", actor="anyone at all")
    assert done.actor == "anyone at all"


def test_an_unknown_actor_is_refused_and_nothing_is_written(team):
    before = table_rows(team, "events")
    with pytest.raises(PermissionDenied, match="mallory is not a user of this store"):
        resolve(team, ex("T1"), code="CORRECTED", note="posted", actor="mallory")
    assert table_rows(team, "events") == before


def test_a_disabled_user_is_refused(team):
    disable_user(team, "ann", actor="lead")
    with pytest.raises(PermissionDenied, match="user ann is disabled"):
        add_comment(team, ex("T1"), text="still here?", actor="ann")


def test_a_viewer_may_not_change_anything(team):
    with pytest.raises(PermissionDenied, match=r"vic \(viewer\) may not comment"):
        add_comment(team, ex("T1"), text="just looking", actor="vic")


def test_an_analyst_takes_an_item_for_themself(team):
    assign(team, ex("T1"), to="ann", actor="ann")
    assert exceptions_by_id(team)[ex("T1")]["assignee"] == "ann"


def test_an_analyst_may_not_give_an_item_to_someone_else(team):
    with pytest.raises(PermissionDenied, match="only to themself"):
        assign(team, ex("T1"), to="bob", actor="ann")


def test_an_admin_gives_an_item_to_anyone(team):
    assign(team, ex("T1"), to="bob", actor="lead")
    assert exceptions_by_id(team)[ex("T1")]["assignee"] == "bob"


@pytest.mark.parametrize(
    ("to", "why"),
    [("zoe", "cannot assign to zoe: not a user"), ("vic", "a viewer cannot work exceptions")],
)
def test_an_item_goes_only_to_a_user_who_works_exceptions(team, to, why):
    with pytest.raises(PermissionDenied, match=why):
        assign(team, ex("T1"), to=to, actor="lead")


def test_the_batch_runs_actor_is_not_a_user_and_is_not_checked(team, con):
    load_findings(con, FINDINGS[:3], evaluated=["T1", "T2", "T3", "T4"])
    record_run(team, con, run_info(2), actor="prefect:deployment/nightly", now=at(2))
    assert exceptions_by_id(team)[ex("T4")]["status"] == "SELF_HEALED"


def test_the_cli_acts_as_recon_user_when_no_actor_is_given(team, capsys, monkeypatch):
    monkeypatch.setenv("RECON_USER", "ann")
    # the default is read when the parser is built, as each `recon` process does
    assert main(["exceptions", "comment", ex("T1"), "--text", "mine", "--store", str(team)]) == 0
    assert table_rows(team, "events", "event_no")[-1][3] == "ann"


def test_the_cli_refuses_an_unknown_user_in_one_line_with_exit_2(team, capsys):
    code = main(["exceptions", "resolve", ex("T1"), "--code", "CORRECTED", "--note", "x",
                 "--actor", "mallory", "--store", str(team)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "mallory is not a user of this store" in err
