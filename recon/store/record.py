"""Record one reconciliation run in the exception store (CONTRACT.md section 5).

Everything a run changes in the store happens in ONE DuckDB transaction: a run that fails or
is killed midway leaves the store exactly as it was. The heavy reads (matching findings to
stored exceptions, finding evidence rows) happen before that transaction, in temp tables of
the working connection; the transaction only copies, so the store is held briefly.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from recon.config import SlaPolicy
from recon.errors import StoreError
from recon.faults import pause_at
from recon.model import RunInfo, StoreOutcome
from recon.sql import load_sql, run_statements
from recon.store import audit, double_credit
from recon.store.actor import check_actor, os_user
from recon.store.aging import age_exceptions
from recon.store.evidence import anchors_seen, match_evidence
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.session import store_change, transaction, writable_store

# Test hook: seconds to sleep inside the write transaction, after every write and before
# COMMIT, so tests can kill a run midway or start a second writer against a held store.
PAUSE_ENV = "RECON_STORE_TEST_PAUSE_SECONDS"
PAUSED_MARKER = "recon-store: paused inside the write transaction"


def record_run(
    store_path: str | Path,
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    *,
    actor: str,
    now: datetime | None = None,
    sla: SlaPolicy | None = None,
    timings: Mapping[str, float] | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> StoreOutcome:
    """Record `run` and the `findings` in `con`; leave table `exceptions` (open ones) in `con`.

    `recording` with nothing to do before the commit.
    """
    with recording(
        store_path, con, run, actor=actor, now=now, sla=sla, timings=timings,
        wait_seconds=wait_seconds,
    ) as outcome:  # fmt: skip
        return outcome


@contextmanager
def recording(
    store_path: str | Path,
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    *,
    actor: str,
    now: datetime | None = None,
    sla: SlaPolicy | None = None,
    timings: Mapping[str, float] | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    on_lock: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Iterator[StoreOutcome]:
    """Record `run` and the `findings` in `con` in one transaction that commits when the block
    ends, so whatever the block writes from the new state (remedies, outputs) lands with it
    or, when the block raises, neither does.

    Inside the block `con` holds temp table `exceptions` (open after this run). `actor` is
    who the events are attributed to; `now` (default: the clock) stamps events and ages the
    exceptions; `sla` grades them; `on_lock(con)` runs once the store is held, before
    anything is read (e.g. to finish what a killed run left). Raises `StoreBusyError` if
    another run holds the store longer than `wait_seconds`.
    """
    now = now or datetime.now(UTC)
    sla = sla or SlaPolicy()
    actor = check_actor(actor)
    _check_findings(con)
    with writable_store(
        con, store_path, owner=f"run {run.run_id}", wait_seconds=wait_seconds, create=True
    ):
        if on_lock is not None:
            on_lock(con)
        _refuse_recorded_run(con, store_path, run.run_id)
        try:
            anchors_seen(con)
            run_statements(con, load_sql("recon.store", "classify"))
            match_evidence(con)
            with transaction(con):
                changes = {
                    "run_id": run.run_id,
                    "actor": actor,
                    "os_user": os_user(),
                    "now": now,
                    "detected_at": run.started_at,
                    "incident_id": run.incident_id,
                }
                run_statements(con, load_sql("recon.store", "new_run_events"), changes)
                audit.append_events(con)
                run_statements(con, load_sql("recon.store", "apply_run"), changes)
                double_credit.raise_alerts(con, changes)
                _insert_run_rows(con, run, actor=actor, now=now, timings=timings)
                outcome = _outcome(con, run.run_id)
                age_exceptions(con, now, sla)
                run_statements(con, load_sql("recon.store", "open_exceptions"))
                _pause_for_tests()
                yield outcome
                pause_at("before-commit")
        finally:
            _drop_temp_tables(con)


def run_recorded(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether the attached store holds `run_id` as a run that reconciled."""
    row = con.execute(
        "SELECT count(*) FROM recon_store.runs WHERE run_id = $run_id AND outcome = 'OK'",
        {"run_id": run_id},
    ).fetchone()
    return bool(row and row[0])


def record_failed_run(
    store_path: str | Path,
    run: RunInfo,
    error: str,
    *,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> None:
    """Log a run that could not reconcile; no exception is touched.

    If the run was already recorded (it failed after the store step, e.g. while publishing),
    its record is marked FAILED with the error; its findings stay as recorded.
    """
    now = now or datetime.now(UTC)
    actor = check_actor(run.actor)
    with store_change(
        store_path, owner=f"run {run.run_id}", wait_seconds=wait_seconds, create=True
    ) as con:
        known = con.execute(
            "SELECT count(*) FROM recon_store.runs WHERE run_id = $run_id",
            {"run_id": run.run_id},
        ).fetchone()
        if known and known[0]:
            con.execute(
                "UPDATE recon_store.runs SET outcome = 'FAILED', error = $error,"
                " finished_at = $now WHERE run_id = $run_id",
                {"error": error, "now": now, "run_id": run.run_id},
            )
            # the one change recon makes to a chained row: its link and those after it are
            # recomputed in this transaction (docs/store.md, "Provable history")
            audit.relink_runs(con, run.run_id)
        else:
            _insert_run_rows(con, run, actor=actor, now=now, outcome="FAILED", error=error)


def _check_findings(con: duckdb.DuckDBPyConnection) -> None:
    """A findings table with a repeated exception_id is a bug upstream: stop before the store."""
    row = con.execute(
        "SELECT exception_id, count(*) FROM findings GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if row:
        raise StoreError(
            f"findings holds exception_id {row[0]} {row[1]} times; each finding must have its"
            " own id, so the run was not recorded"
        )


def _refuse_recorded_run(
    con: duckdb.DuckDBPyConnection, store_path: str | Path, run_id: str
) -> None:
    row = con.execute(
        "SELECT count(*) FROM recon_store.runs WHERE run_id = $run_id", {"run_id": run_id}
    ).fetchone()
    if row and row[0]:
        raise StoreError(f"{store_path}: run {run_id} is already recorded; a run id is used once")


def _insert_run_rows(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    *,
    actor: str,
    now: datetime,
    timings: Mapping[str, float] | None = None,
    outcome: str = "OK",
    error: str | None = None,
) -> None:
    if outcome == "FAILED":
        # the counting sub-selects of insert_run.sql read these; a failed run found nothing
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _store_found AS"
            " SELECT NULL::VARCHAR AS exception_id, NULL::VARCHAR AS change WHERE false"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _store_healed AS"
            " SELECT NULL::VARCHAR AS exception_id WHERE false"
        )
    # files and counts first: the run's chained record covers them (audit_macros.sql)
    if run.files:
        con.executemany(
            "INSERT INTO recon_store.run_files VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                [run.run_id, f.source, f.path, f.format, f.sha256, f.rows, f.amount_sum]
                for f in run.files
            ],
        )
    if run.counts:
        con.executemany(
            "INSERT INTO recon_store.run_counts VALUES ($1, $2, $3, $4, $5, $6)",
            [[run.run_id, source, *asdict(c).values()] for source, c in sorted(run.counts.items())],
        )
    run_statements(
        con,
        load_sql("recon.store", "insert_run"),
        {
            "run_id": run.run_id,
            "actor": actor,
            "os_user": os_user(),
            "started_at": run.started_at,
            "now": now,
            "cutoff": run.cutoff,
            "data_dir": run.data_dir,
            "incident_id": run.incident_id,
            "params": json.dumps(dict(run.params), default=str, sort_keys=True),
            "timings": json.dumps(dict(timings or {}), default=str, sort_keys=True),
            "outcome": outcome,
            "error": error,
            "pid": os.getpid(),
        },
    )
    audit.append_run(con)


def _outcome(con: duckdb.DuckDBPyConnection, run_id: str) -> StoreOutcome:
    def ids(sql: str) -> tuple[str, ...]:
        return tuple(r[0] for r in con.execute(sql).fetchall())

    total = con.execute(
        "SELECT open_total FROM recon_store.runs WHERE run_id = $run_id", {"run_id": run_id}
    ).fetchone()
    return StoreOutcome(
        run_id=run_id,
        new=ids("SELECT exception_id FROM _store_found WHERE change = 'NEW' ORDER BY 1"),
        reopened=ids("SELECT exception_id FROM _store_found WHERE change = 'REOPENED' ORDER BY 1"),
        healed=ids("SELECT exception_id FROM _store_healed ORDER BY 1"),
        still_open=ids(
            "SELECT exception_id FROM _store_found WHERE change = 'STILL_OPEN' ORDER BY 1"
        ),
        open_total=int(total[0]) if total else 0,
        audit_head=audit.head(con),
    )


def _drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in (
        "_store_found",
        "_store_healed",
        "_store_evidence_items",
        "_store_evidence_matches",
        "_store_aged",
        "_audit_new_events",
        "_audit_new_run",
    ):
        con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")


def _pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print(PAUSED_MARKER, file=sys.stderr, flush=True)
        time.sleep(float(seconds))
