"""Bulk: one action with one note over many ids in one transaction, an outcome per id."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.errors import PermissionDenied, StoreError
from recon.store.actions import assign, bulk, resolve
from recon.store.audit import verify_store
from recon.store.commands import main

from .builders import exceptions_by_id, store_state, table_rows
from .team import ex, team_store

T1, T2, T3, T4 = (ex(t) for t in ("T1", "T2", "T3", "T4"))


@pytest.fixture
def team(store, con):
    store = team_store(store, con)
    assign(store, T2, to="bob", actor="bob")  # held by bob
    resolve(store, T3, code="CORRECTED", note="posted", actor="ann")  # closed
    return store


def test_every_id_is_applied_with_its_own_event_and_the_one_note(team):
    outcomes = bulk(team, [T1, T4], "resolve", code="WRITTEN_OFF", note="below threshold",
                    actor="ann")  # fmt: skip
    assert [(o.exception_id, o.ok, o.message) for o in outcomes] == [
        (T1, True, "OPEN -> RESOLVED"),
        (T4, True, "OPEN -> RESOLVED"),
    ]
    events = table_rows(team, "events", "event_no")[-2:]
    assert [(e[1], e[5], e[8]) for e in events] == [
        (T1, "RESOLVED", "WRITTEN_OFF: below threshold"),
        (T4, "RESOLVED", "WRITTEN_OFF: below threshold"),
    ]


def test_a_refused_id_is_listed_with_its_reason_and_the_others_still_apply(team):
    outcomes = bulk(team, [T1, T2, T3, "EX-NOPE", T4], "assign", to="ann", note=None, actor="ann")
    assert [(o.exception_id, o.ok) for o in outcomes] == [
        (T1, True), (T2, False), (T3, False), ("EX-NOPE", False), (T4, True),
    ]  # fmt: skip
    reasons = {o.exception_id: o.message for o in outcomes if not o.ok}
    assert "held by bob" in reasons[T2]
    assert "is RESOLVED" in reasons[T3]
    assert "no exception 'EX-NOPE'" in reasons["EX-NOPE"]
    assert exceptions_by_id(team)[T4]["assignee"] == "ann"


def test_a_repeated_id_is_done_once(team):
    outcomes = bulk(team, [T1, T1, f" {T1} "], "assign", to="ann", note=None, actor="ann")
    assert [o.exception_id for o in outcomes] == [T1]


def test_expected_versions_refuse_the_stale_ones_only(team):
    outcomes = bulk(team, [T1, T4], "assign", to="ann", note=None, actor="ann",
                    expected_versions={T1: 1, T4: 7})  # fmt: skip
    assert [o.ok for o in outcomes] == [True, False]
    assert "version 1, you had 7" in outcomes[1].message


def test_an_actor_not_allowed_the_action_changes_nothing(team):
    before = store_state(team)
    with pytest.raises(PermissionDenied, match=r"vic \(viewer\) may not resolve"):
        bulk(team, [T1, T4], "resolve", code="CORRECTED", note="x", actor="vic")
    assert store_state(team) == before


@pytest.mark.parametrize(
    ("action", "kwargs", "why"),
    [
        ("delete", {}, "bulk does assign, reassign, resolve, reopen"),
        ("assign", {}, "needs a person"),
        ("resolve", {"note": "x"}, "needs a resolution code"),
        ("resolve", {"code": "CORRECTED", "note": " "}, "needs a note"),
        ("reopen", {"note": ""}, "needs a note"),
    ],
)
def test_wrong_arguments_are_refused_before_anything_is_read(team, action, kwargs, why):
    kwargs.setdefault("note", None)
    with pytest.raises(StoreError, match=why):
        bulk(team, [T1], action, actor="ann", **kwargs)


def test_the_chain_verifies_after_a_bulk(team):
    bulk(team, [T1, T2, T4], "assign", to="ann", note="taking these", actor="ann")
    assert verify_store(team).intact


def test_the_cli_takes_several_ids_and_reports_each(team, capsys):
    code = main(["exceptions", "assign", T1, T2, T4, "--to", "ann", "--actor", "ann",
                 "--store", str(team)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2  # one was refused
    assert f"{T1}: OPEN -> ASSIGNED by ann" in out
    assert "2 applied, 1 refused" in out
    assert err.count("\n") == 1
    assert f"{T2} is held by bob" in err


def test_the_cli_assigns_to_the_acting_user_without_to(team, capsys):
    """Taking an item is the common case: `assign ID` takes it, as the web's Take does."""
    code = main(["exceptions", "assign", T1, "--actor", "ann", "--store", str(team)])
    assert code == 0
    assert f"{T1}: OPEN -> ASSIGNED by ann" in capsys.readouterr().out
    assert exceptions_by_id(team)[T1]["assignee"] == "ann"


def test_the_cli_reads_ids_from_stdin(team, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{T1}\n\n{T4}\n"))
    code = main(["exceptions", "resolve", "-", "--code", "CORRECTED", "--note", "posted",
                 "--actor", "ann", "--store", str(team)])  # fmt: skip
    assert code == 0
    assert {exceptions_by_id(team)[i]["status"] for i in (T1, T4)} == {"RESOLVED"}


def test_the_cli_refuses_expected_version_with_several_ids(team, capsys):
    code = main(["exceptions", "reopen", T3, T1, "--note", "x", "--expected-version", "2",
                 "--actor", "ann", "--store", str(team)])  # fmt: skip
    assert code == 2
    assert "--expected-version goes with one exception id" in capsys.readouterr().err


# --- the property: bulk never changes an exception it reports as refused ----------------

_TEMPLATE: list[Path] = []


def _template() -> Path:
    """The team store with one held, one resolved and one reassigned exception, built once."""
    if not _TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="recon-bulk-")) / "template.duckdb"
        con = connect()
        team_store(path, con)
        con.close()
        assign(path, T2, to="bob", actor="bob")
        resolve(path, T3, code="CORRECTED", note="posted", actor="ann")
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


ID_POOL = [T1, T2, T3, T4, "EX-NOPE"]
actions = st.sampled_from(
    [
        ("assign", {"to": "ann"}),
        ("assign", {"to": "bob"}),
        ("reassign", {"to": "ann", "note": "cover"}),
        ("resolve", {"code": "CORRECTED", "note": "fixed"}),
        ("reopen", {"note": "again"}),
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.lists(st.sampled_from(ID_POOL), min_size=1, max_size=7),
    action=actions,
    actor=st.sampled_from(["ann", "bob", "lead"]),
    versions=st.dictionaries(st.sampled_from(ID_POOL), st.integers(1, 3)),
)
def test_bulk_never_changes_an_exception_it_reports_as_refused(chosen, action, actor, versions):
    name, kwargs = action
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "s.duckdb"
        shutil.copyfile(_template(), store)
        before = exceptions_by_id(store)
        events_before = len(table_rows(store, "events"))
        try:
            outcomes = bulk(store, chosen, name, actor=actor, expected_versions=versions,
                            **{"note": None, **kwargs})  # fmt: skip
        except PermissionDenied:
            assert exceptions_by_id(store) == before  # refused as a whole: nothing changed
            return
        after = exceptions_by_id(store)
        for outcome in outcomes:
            if not outcome.ok and outcome.exception_id in before:
                assert after[outcome.exception_id] == before[outcome.exception_id]
        applied = [o for o in outcomes if o.ok]
        events = table_rows(store, "events", "event_no")[events_before:]
        assert [e[1] for e in events] == [o.exception_id for o in applied]
        assert {i for i in after if after[i] != before[i]} == {o.exception_id for o in applied}
