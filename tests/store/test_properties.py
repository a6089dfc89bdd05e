"""Invariants of the store over any sequence of runs (hypothesis).

Universe: five transfers T1..T5, each with one possible finding. A run finds any subset and
evaluates every transfer, so the store's answer for each exception is knowable by eye.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.store import record_run
from recon.store.actions import resolve

from .builders import F, at, exceptions_by_id, load_findings, run_info, table_rows

REFS = ["T1", "T2", "T3", "T4", "T5"]
subsets = st.sets(st.sampled_from(REFS))
amounts = st.sampled_from(["10.00", "999.99", "12000.00"])
STORE_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run_once(store: Path, con, number: int, found: set[str], amount: str = "10.00") -> None:
    load_findings(con, [F(r, amount) for r in sorted(found)], evaluated=REFS)
    record_run(store, con, run_info(number), actor="prop", now=at(number))


def without_last_seen(rows: dict[str, dict]) -> dict[str, dict]:
    return {k: {**v, "last_seen_run": None} for k, v in rows.items()}


@STORE_SETTINGS
@given(found=subsets, reruns=st.integers(min_value=1, max_value=4), amount=amounts)
def test_rerunning_the_same_findings_changes_only_last_seen_run(found, reruns, amount):
    with tempfile.TemporaryDirectory() as folder:
        store, con = Path(folder) / "s.duckdb", connect()
        run_once(store, con, 1, found, amount)
        first, events = exceptions_by_id(store), table_rows(store, "events")
        for number in range(2, 2 + reruns):
            run_once(store, con, number, found, amount)
        again = exceptions_by_id(store)
        assert without_last_seen(again) == without_last_seen(first)
        assert {v["last_seen_run"] for v in again.values()} <= {f"run-{1 + reruns}"}
        assert table_rows(store, "events") == events
        con.close()


@STORE_SETTINGS
@given(runs=st.lists(subsets, min_size=1, max_size=5))
def test_after_any_runs_an_exception_is_open_exactly_when_the_last_run_found_it(runs):
    with tempfile.TemporaryDirectory() as folder:
        store, con = Path(folder) / "s.duckdb", connect()
        for number, found in enumerate(runs, start=1):
            run_once(store, con, number, found)
        ever = set().union(*runs)
        status = {v["txn_ref"]: v["status"] for v in exceptions_by_id(store).values()}
        assert status == {r: "OPEN" if r in runs[-1] else "SELF_HEALED" for r in ever}
        open_now = {r for (r,) in con.execute("SELECT txn_ref FROM exceptions").fetchall()}
        assert open_now == runs[-1]
        con.close()


@STORE_SETTINGS
@given(first=subsets.filter(bool), later=st.lists(subsets, max_size=4), data=st.data())
def test_a_resolution_survives_any_later_runs(first, later, data):
    target = data.draw(st.sampled_from(sorted(first)))
    with tempfile.TemporaryDirectory() as folder:
        store, con = Path(folder) / "s.duckdb", connect()
        run_once(store, con, 1, first)
        resolve(store, f"EX-DEBI-{target}", code="CORRECTED", note="fixed", actor="ann")
        for number, found in enumerate(later, start=2):
            run_once(store, con, number, found)
        row = exceptions_by_id(store)[f"EX-DEBI-{target}"]
        assert (row["status"], row["resolution_code"]) == ("RESOLVED", "CORRECTED")
        # a run may flag it (a DOUBLE_CREDIT_RISK alert), never change its status
        last_change = [
            e
            for e in table_rows(store, "events", "event_no")
            if e[1] == row["exception_id"] and e[6] != e[7]
        ]
        assert last_change[-1][5] == "RESOLVED"
        con.close()


@STORE_SETTINGS
@given(runs=st.lists(subsets, min_size=1, max_size=5))
def test_the_event_log_only_ever_grows(runs):
    with tempfile.TemporaryDirectory() as folder:
        store, con = Path(folder) / "s.duckdb", connect()
        seen: list[tuple] = []
        for number, found in enumerate(runs, start=1):
            run_once(store, con, number, found)
            now = table_rows(store, "events", "event_no")
            assert now[: len(seen)] == seen
            seen = now
        con.close()
