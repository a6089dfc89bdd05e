"""Optimistic locking: every change adds one to an exception's version; a stale one is refused
saying who changed it and when."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recon.errors import StaleVersionError
from recon.store import record_run
from recon.store.actions import add_attachment, add_comment, assign, reopen, resolve
from recon.store.migrate import CURRENT_VERSION
from recon.store.queries import ExceptionFilter, exception_detail, list_exceptions

from .builders import F, at, exceptions_by_id, load_findings, run_info, table_rows
from .team import FINDINGS, ex, team_store

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FIXTURE = Path(__file__).parent / "fixtures" / "store_v1"


@pytest.fixture
def team(store, con):
    return team_store(store, con)


def version(store, exception_id):
    return exceptions_by_id(store)[exception_id]["version"]


def test_a_new_exception_is_at_version_1(team):
    assert {row["version"] for row in exceptions_by_id(team).values()} == {1}


@pytest.mark.parametrize(
    "act",
    [
        lambda s: assign(s, ex("T1"), to="ann", actor="ann"),
        lambda s: resolve(s, ex("T1"), code="CORRECTED", note="posted", actor="ann"),
        lambda s: add_comment(s, ex("T1"), text="called them", actor="ann"),
        lambda s: add_attachment(s, ex("T1"), name="a.txt", content=b"x", actor="ann"),
    ],
    ids=["assign", "resolve", "comment", "attach"],
)
def test_every_action_adds_one_and_says_the_new_version(team, act):
    done = act(team)
    assert done.version == 2
    assert version(team, ex("T1")) == 2


def test_an_action_at_the_current_version_goes_ahead(team):
    done = assign(team, ex("T1"), to="ann", actor="ann", expected_version=1)
    assert done.version == 2


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(team):
    assign(team, ex("T1"), to="bob", actor="bob", now=T)
    with pytest.raises(StaleVersionError) as refused:
        resolve(team, ex("T1"), code="FALSE_POSITIVE", note="x", actor="bob", expected_version=1)
    assert str(refused.value) == (
        f"{ex('T1')} was changed by bob at 2026-03-02T09:30:00Z (version 2, you had 1); look again"
    )


def test_a_stale_action_writes_nothing(team):
    add_comment(team, ex("T1"), text="first", actor="ann")
    before = table_rows(team, "events")
    with pytest.raises(StaleVersionError):
        add_comment(team, ex("T1"), text="second", actor="bob", expected_version=1)
    assert table_rows(team, "events") == before
    assert version(team, ex("T1")) == 2


def test_show_gives_the_version_an_action_must_match(team):
    add_comment(team, ex("T1"), text="first", actor="ann")
    assert exception_detail(team, ex("T1")).version == 2


def test_a_run_that_heals_an_exception_makes_a_new_version(team, con):
    load_findings(con, FINDINGS[1:], evaluated=["T1", "T2", "T3", "T4"])
    record_run(team, con, run_info(2), actor="nightly", now=at(2))
    assert exceptions_by_id(team)[ex("T1")]["status"] == "SELF_HEALED"
    assert version(team, ex("T1")) == 2
    with pytest.raises(StaleVersionError, match="changed by nightly"):
        reopen(team, ex("T1"), note="not healed", actor="ann", expected_version=1)


def test_a_run_that_reopens_a_healed_exception_makes_a_new_version(team, con):
    load_findings(con, FINDINGS[1:], evaluated=["T1", "T2", "T3", "T4"])
    record_run(team, con, run_info(2), actor="nightly", now=at(2))
    load_findings(con, FINDINGS)
    record_run(team, con, run_info(3), actor="nightly", now=at(3))
    assert version(team, ex("T1")) == 3


def test_a_run_that_only_refreshes_the_amount_keeps_the_version(team, con):
    load_findings(con, [F("T1", "150.00"), *FINDINGS[1:]])
    record_run(team, con, run_info(2), actor="nightly", now=at(2))
    assert exceptions_by_id(team)[ex("T1")]["amount"] == 150
    assert version(team, ex("T1")) == 1


def test_reading_a_store_from_before_versions_migrates_it_first(tmp_path):
    store = tmp_path / "store_v1.duckdb"
    with gzip.open(FIXTURE / "store_v1.duckdb.gz") as src, store.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    queue = list_exceptions(store, ExceptionFilter(statuses=()))
    assert set(queue["version"].to_list()) == {1}
    assert table_rows(store, "store_info") == [("schema_version", str(CURRENT_VERSION))]
