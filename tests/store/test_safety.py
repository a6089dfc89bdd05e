"""The store survives a run killed midway and never lets two writers interleave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recon.errors import StoreBusyError
from recon.store import record_run
from recon.store.actions import resolve
from recon.store.audit import verify_store
from recon.store.queries import list_exceptions
from recon.store.record import PAUSE_ENV, PAUSED_MARKER

from .backends import only_duckdb
from .builders import F, at, exceptions_by_id, load_findings, run_info, store_state, table_rows

WRITER = Path(__file__).with_name("writer.py")


def start_writer(store: Path, number: int, refs: str, *, wait: float = 30, pause: float = 0):
    env = {k: v for k, v in os.environ.items() if k != PAUSE_ENV}
    if pause:
        env[PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(store), str(number), refs, str(wait)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_until_paused(proc: subprocess.Popen) -> None:
    """Read the writer's stderr until it says it is inside its transaction."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if PAUSED_MARKER in line:
            return
    pytest.fail(f"writer ended (exit {proc.wait()}) before pausing in its transaction")


def test_a_run_killed_inside_its_transaction_leaves_the_store_unchanged(store, con):
    load_findings(con, [F("T1"), F("T2")])
    record_run(store, con, run_info(1), actor="t", now=at(1))
    before = store_state(store)
    writer = start_writer(store, 2, "T2,T3", pause=60)  # would heal T1 and add T3
    wait_until_paused(writer)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert store_state(store) == before
    load_findings(
        con, [F("T2")], evaluated=["T1", "T2"]
    )  # and the store is usable at once: no stale lock
    outcome = record_run(store, con, run_info(3), actor="t", now=at(3), wait_seconds=5)
    assert outcome.healed == ("EX-DEBI-T1",)


def test_a_second_writer_waits_for_the_first_and_says_whom_it_waits_for(store):
    first = start_writer(store, 1, "T1,T2", pause=6)
    wait_until_paused(first)
    second = start_writer(store, 2, "T1,T2", wait=60)
    _, err = second.communicate(timeout=90)
    assert first.wait(timeout=60) == 0
    assert second.returncode == 0, err
    assert f"exception store {store} is in use by run run-1" in err
    assert "waiting up to" in err
    # run 2 saw run 1's committed result: the same exceptions, no duplicate detections
    rows = exceptions_by_id(store)
    assert {k: (v["first_seen_run"], v["last_seen_run"]) for k, v in rows.items()} == {
        "EX-DEBI-T1": ("run-1", "run-2"),
        "EX-DEBI-T2": ("run-1", "run-2"),
    }
    assert [r[5] for r in table_rows(store, "events")] == ["DETECTED", "DETECTED"]


def test_a_writer_that_waits_too_long_stops_with_store_busy_naming_the_store(store):
    first = start_writer(store, 1, "T1", pause=8)
    wait_until_paused(first)
    second = start_writer(store, 2, "T1", wait=0.5)
    _, err = second.communicate(timeout=60)
    first.kill()
    first.wait(timeout=30)
    assert second.returncode == 3
    assert f"BUSY: exception store {store} is in use by run run-1 (pid {first.pid}" in err
    assert "Could not set lock" not in err


def test_a_reader_waits_for_a_writer_too(store):
    only_duckdb(store, "a PostgreSQL reader never waits (the next test)")
    first = start_writer(store, 1, "T1", pause=8)
    wait_until_paused(first)
    try:
        with pytest.raises(StoreBusyError, match="in use by run run-1"):
            list_exceptions(store, wait_seconds=0.3)
    finally:
        first.kill()
        first.wait(timeout=30)


def test_a_reader_of_a_postgresql_store_reads_what_was_committed_while_a_run_writes(pg_store, con):
    load_findings(con, [F("T1")])
    record_run(pg_store, con, run_info(1), actor="t", now=at(1))
    writer = start_writer(pg_store, 2, "T1,T2", pause=8)
    try:
        wait_until_paused(writer)
        started = time.monotonic()
        rows = list_exceptions(pg_store, wait_seconds=0)
        assert time.monotonic() - started < 5
        assert rows["exception_id"].to_list() == ["EX-DEBI-T1"]  # run 2's T2 not yet
    finally:
        writer.kill()
        writer.wait(timeout=30)


def test_an_analyst_resolving_while_a_run_commits_waits_for_it_and_both_changes_stand(store, con):
    load_findings(con, [F("T1"), F("T2")])
    record_run(store, con, run_info(1), actor="t", now=at(1))
    writer = start_writer(store, 2, "T1,T2,T3", pause=3)  # sees T1 again, finds T3
    wait_until_paused(writer)
    resolve(store, "EX-DEBI-T1", code="FALSE_POSITIVE", note="ok", actor="ann", wait_seconds=60)
    assert writer.wait(timeout=60) == 0
    rows = exceptions_by_id(store)
    assert rows["EX-DEBI-T1"]["status"] == "RESOLVED"
    assert rows["EX-DEBI-T1"]["last_seen_run"] == "run-2"  # the run committed first
    assert sorted(rows) == ["EX-DEBI-T1", "EX-DEBI-T2", "EX-DEBI-T3"]
    assert verify_store(store).intact


def test_a_store_held_outside_recon_gives_store_busy_not_duckdbs_lock_error(store, con):
    only_duckdb(store, "DuckDB's own file lock")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
         " time.sleep(60)", str(store)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        load_findings(con, [F("T1")])
        started = time.monotonic()
        with pytest.raises(StoreBusyError) as busy:
            record_run(store, con, run_info(1), actor="t", now=at(1), wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5
        assert f"exception store {store} is in use by process {holder.pid}" in str(busy.value)
        assert "Could not set lock" not in str(busy.value)
    finally:
        holder.kill()
        holder.wait(timeout=30)
