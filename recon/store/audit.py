"""Provable history: a hash chain over the store's `events` and `runs` (docs/store.md).

Every event carries `prev_hash` and `hash` = SHA-256 of the previous event's hash and the
event's canonical record (`audit_macros.sql`: every column, in a fixed order, NULL distinct
from empty, times as UTC ISO 8601 with microseconds); the first event links to 64 zeros.
Runs form a second chain the same way, by `run_no`; a run's record also holds the events
chain's head when it was recorded (`events_head`), its input files and its row counts, so
each run seals the events before it. The head of the runs chain after a run is published in
its summary.json (`audit_head`).

The records are built in SQL over whole tables; the hashes, which must be computed one after
the other, in Python with hashlib; the links go back to DuckDB as one Arrow table. All of
it inside the caller's write transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from recon.db import connect
from recon.errors import StoreError
from recon.model import AuditHead
from recon.sql import load_sql, run_statements
from recon.store.actor import os_user
from recon.store.lock import DEFAULT_WAIT_SECONDS, attached_store

CHAIN_VERSION = 3  # the store schema that brought the chain (audit_v3.sql)
ATTACHMENTS_VERSION = 4  # the store schema that brought attachments (team_v4.sql)

GENESIS = "0" * 64
LINKS = "_audit_links"  # the Arrow table of computed links, registered while it is written


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Define the canonical-record macros on `con` (the store must be attached)."""
    run_statements(con, load_sql("recon.store", "audit_macros"))


def link(prev_hash: str, record: str) -> str:
    """One link: SHA-256 (hex) of the previous hash, a newline and the record."""
    return hashlib.sha256(f"{prev_hash}\n{record}".encode()).hexdigest()


def chain(prev_hash: str, records: Iterable[str]) -> list[str]:
    """The hashes of `records` appended after `prev_hash`, in order."""
    sha256 = hashlib.sha256
    hashes: list[str] = []
    append = hashes.append
    for record in records:
        prev_hash = sha256(f"{prev_hash}\n{record}".encode()).hexdigest()
        append(prev_hash)
    return hashes


def head(con: duckdb.DuckDBPyConnection) -> AuditHead | None:
    """The last links of both chains, or None before the first run."""
    row = _heads(con)
    if row["run_no"] is None:
        return None
    return AuditHead(
        run_no=int(row["run_no"]),
        run_id=row["run_id"],
        run_hash=row["run_hash"],
        event_no=None if row["event_no"] is None else int(row["event_no"]),
        event_hash=row["event_hash"],
    )


def append_events(con: duckdb.DuckDBPyConnection) -> int:
    """Chain and append the events staged in temp table `_audit_new_events` (numbered after
    the store's last event_no); return how many. The table is dropped."""
    install(con)
    prev = _heads(con)["event_hash"] or GENESIS
    staged = con.sql(load_sql("recon.store", "audit_new_event_records")).to_arrow_table()
    records = staged.column("record").to_pylist()
    hashes = chain(prev, records)
    links = pa.table(
        {
            "event_no": staged.column("event_no"),
            "prev_hash": pa.array([prev, *hashes[:-1]] if hashes else [], pa.string()),
            "hash": pa.array(hashes, pa.string()),
        }
    )
    _with_links(con, links, "audit_append_events")
    return len(hashes)


def append_event(
    con: duckdb.DuckDBPyConnection,
    *,
    about: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    note: str | None,
    actor: str,
    now: datetime,
) -> None:
    """Append one event a person caused (a proposal's decision, a user's change, the
    approval limit's), `about` an exception id or a `user:`/`store:` subject, with the OS
    user beside the actor, chained like every other event."""
    run_statements(
        con,
        load_sql("recon.store", "transition_event"),
        {
            "exception_id": about,
            "now": now,
            "actor": actor,
            "os_user": os_user(),
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "note": note,
        },
    )
    append_events(con)


def append_run(con: duckdb.DuckDBPyConnection) -> None:
    """Chain and append the run record staged in temp table `_audit_new_run` (one row, its
    files and counts already written). The table is dropped."""
    install(con)
    prev = _heads(con)["run_hash"] or GENESIS
    rows = con.sql(load_sql("recon.store", "audit_new_run_record")).fetchall()
    if len(rows) != 1:
        raise ValueError(f"{len(rows)} run records staged in _audit_new_run; one expected")
    run_statements(
        con,
        load_sql("recon.store", "audit_append_run"),
        {"prev_hash": prev, "hash": link(prev, rows[0][0])},
    )


def relink_runs(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Recompute the run links from `run_id` on, after recon itself changed that run's record
    (a recorded run marked FAILED because its outputs could not be put in place)."""
    install(con)
    first = _one(con, "audit_run_no", {"run_id": run_id})
    if first is None or first[0] is None:
        return
    run_no = int(first[0])
    before = _one(con, "audit_run_hash_at", {"run_no": run_no - 1})
    prev = before[0] if before and before[0] else GENESIS
    rows = _run_records(con, run_no)
    numbered = [r for r in rows if r["run_no"] is not None]
    hashes = chain(prev, (r["record"] for r in numbered))
    links = pa.table(
        {
            "run_no": pa.array([r["run_no"] for r in numbered], pa.int64()),
            "prev_hash": pa.array([prev, *hashes[:-1]] if hashes else [], pa.string()),
            "hash": pa.array(hashes, pa.string()),
        }
    )
    _with_links(con, links, "audit_relink_runs")


def link_existing(con: duckdb.DuckDBPyConnection) -> None:
    """Migration to schema 3 (after audit_v3.sql): link every existing event, seal each run
    with the events head of its time, then link the runs."""
    install(con)
    events = con.sql(load_sql("recon.store", "audit_event_records")).to_arrow_table()
    hashes = chain(GENESIS, events.column("record").to_pylist())
    links = pa.table(
        {
            "event_no": events.column("event_no"),
            "prev_hash": pa.array([GENESIS, *hashes[:-1]] if hashes else [], pa.string()),
            "hash": pa.array(hashes, pa.string()),
        }
    )
    _with_links(con, links, "audit_link_events")
    run_statements(con, load_sql("recon.store", "audit_v3_seal"))
    first = _one(con, "audit_first_run")
    if first and first[0] is not None:
        relink_runs(con, first[0])


@dataclass(frozen=True)
class Break:
    """The first broken link of one chain."""

    chain: str  # events | runs | published
    where: str  # "event_no 17 (EX-...)", "run run-... (run_no 3)"
    what: str  # changed | missing | reordered | relinked | unsealed | unchained | recomputed
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: the chains' lengths and heads, and their first broken links."""

    events: int
    event_no: int | None
    event_hash: str | None
    runs: int
    run_no: int | None
    run_id: str | None
    run_hash: str | None
    breaks: tuple[Break, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.breaks


@dataclass(frozen=True)
class PublishedHead:
    """An `audit_head` some earlier run published (in its summary.json)."""

    source: str
    run_no: int
    run_hash: str

    @classmethod
    def from_summary(cls, path: Path) -> PublishedHead:
        """The head in a summary.json; ValueError saying why when it holds none."""
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ValueError(f"cannot read {path}: {err}") from None
        found = document.get("audit_head") if isinstance(document, dict) else None
        if not isinstance(found, dict) or not found.get("run_hash") or found.get("run_no") is None:
            raise ValueError(f"{path} holds no audit_head (written before the audit chain?)")
        return cls(str(path), int(found["run_no"]), str(found["run_hash"]))


def verify(con: duckdb.DuckDBPyConnection, published: Sequence[PublishedHead] = ()) -> Verdict:
    """Recompute both chains of the attached store and check them against what is stored
    and against heads published earlier; name the first broken link of each."""
    install(con)
    heads = _heads(con)
    events = con.sql(load_sql("recon.store", "audit_event_records")).to_arrow_table()
    event_break, event_hashes = _verify_events(events)
    runs = _run_records(con, 0)
    run_break = _verify_runs(runs, event_hashes) or _runs_of_events(events, runs)
    breaks = [b for b in (event_break, run_break, _verify_attachments(con)) if b is not None]
    breaks.extend(_check_published(runs, published))
    return Verdict(
        events=int(heads["events"]),
        event_no=heads["event_no"],
        event_hash=heads["event_hash"],
        runs=int(heads["runs"]),
        run_no=heads["run_no"],
        run_id=heads["run_id"],
        run_hash=heads["run_hash"],
        breaks=tuple(breaks),
    )


def verify_store(
    store_path: str | Path,
    published: Sequence[PublishedHead] = (),
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Verdict:
    """`verify` on the store at `store_path`, attached read-only; `StoreError` when it cannot
    be checked (missing, damaged, busy, or of a schema without the chain). A postgresql://
    URL is read from PostgreSQL (recon/store/pg/mirror.py)."""
    from recon.store.location import looks_like_url, pg_location

    if looks_like_url(store_path):
        from recon.store.pg.mirror import verify_pg

        return verify_pg(pg_location(store_path), published)
    with _chained_store(store_path, wait_seconds) as con:
        try:
            return verify(con, published)
        except duckdb.Error as err:
            raise StoreError(f"{store_path}: cannot check the audit chain: {err}") from None


@dataclass(frozen=True)
class LogFilter:
    """What `recon audit log` narrows the events by; None means any."""

    actor: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    exception_id: str | None = None
    run_id: str | None = None
    action: str | None = None  # e.g. COMMENTED, USER_ADDED (any case)


def audit_log(
    store_path: str | Path,
    filters: LogFilter | None = None,
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> pl.DataFrame:
    """The store's events matching `filters`, oldest first: who did what, when, from/to, the
    note, the run, the OS user."""
    f = filters or LogFilter()
    with _chained_store(store_path, wait_seconds) as con:
        return con.sql(
            load_sql("recon.store", "audit_log"),
            params={
                "actor": f.actor,
                "since": f.since,
                "until": f.until,
                "exception_id": f.exception_id,
                "run_id": f.run_id,
                "action": f.action,
            },
        ).pl()


@contextmanager
def _chained_store(
    store_path: str | Path, wait_seconds: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the store attached read-only, refused when it predates the chain."""
    con = connect()
    try:
        with attached_store(con, store_path, write=False, wait_seconds=wait_seconds):
            rows = con.execute(load_sql("recon.store", "audit_version")).fetchall()
            version = int(rows[0][0]) if rows and rows[0][0] is not None else 0
            from recon.store.migrate import CURRENT_VERSION  # migrate imports this module

            if version > CURRENT_VERSION:
                raise StoreError(
                    f"{store_path} was written by a newer recon (store schema {version}; this"
                    f" recon knows up to {CURRENT_VERSION}): upgrade recon to check it"
                )
            if version < CHAIN_VERSION:
                raise StoreError(
                    f"{store_path} is at store schema {version}, which has no audit chain; it"
                    " gets one (and every existing row its link) the next time recon writes to"
                    " it (a run or an analyst command)"
                )
            yield con
    finally:
        con.close()


def _verify_events(events: pa.Table) -> tuple[Break | None, set[str]]:
    numbers = events.column("event_no").to_pylist()
    ids = events.column("exception_id").to_pylist()
    prevs = events.column("prev_hash").to_pylist()
    hashes = events.column("hash").to_pylist()
    records = events.column("record").to_pylist()
    position = {h: n for n, h in zip(numbers, hashes, strict=True) if h}
    expected_prev, expected_no = GENESIS, 1
    for no, exception_id, prev, stored, record in zip(
        numbers, ids, prevs, hashes, records, strict=True
    ):
        where = f"event_no {no} ({exception_id})"
        found = _check_link(
            "events", where, "event_no", no, expected_no, prev, expected_prev, stored, record,
            position,
        )  # fmt: skip
        if found is not None:
            return found, set(position)
        expected_prev, expected_no = stored, no + 1
    return None, set(position)


def _verify_runs(runs: list[dict], event_hashes: set[str]) -> Break | None:
    position = {r["hash"]: r["run_no"] for r in runs if r["hash"]}
    expected_prev, expected_no = GENESIS, 1
    for run in runs:
        no = run["run_no"]
        where = f"run {run['run_id']} (run_no {no})"
        if no is None:
            return Break(
                "runs", where, "unchained", "it has no run_no: it was not written by recon"
            )
        found = _check_link(
            "runs", where, "run_no", no, expected_no, run["prev_hash"], expected_prev,
            run["hash"], run["record"], position,
        )  # fmt: skip
        if found is not None:
            return found
        head = run["events_head"]
        if head is not None and head not in event_hashes:
            return Break(
                "runs",
                where,
                "unsealed",
                f"it sealed the events chain at hash {head}, which no event has now: events"
                " recorded up to that run were changed, re-hashed or deleted",
            )
        expected_prev, expected_no = run["hash"], no + 1
    return None


def _verify_attachments(con: duckdb.DuckDBPyConnection) -> Break | None:
    """Every attachment still has the content its ATTACHED event recorded (name and
    SHA-256 are in the chained note); the content itself is not in the chain."""
    version = con.execute(load_sql("recon.store", "audit_version")).fetchone()
    if not version or version[0] is None or int(version[0]) < ATTACHMENTS_VERSION:
        return None
    for attachment_id, exception_id, name, stored, actual, event_id, action, note in con.execute(
        load_sql("recon.store", "audit_attachments")
    ).fetchall():
        where = f"attachment {attachment_id} ({exception_id}, {name})"
        if actual != stored:
            return Break(
                "attachments", where, "changed",
                f"its content no longer has the SHA-256 it was stored with ({stored}): the"
                " file was replaced after it was attached",
            )  # fmt: skip
        recorded = f"sha256 {stored}"
        if action != "ATTACHED" or event_id != exception_id or recorded not in (note or ""):
            return Break(
                "attachments", where, "changed",
                "its ATTACHED event does not record this file and SHA-256: the attachment"
                " row was changed or added after the event",
            )  # fmt: skip
    return None


def _runs_of_events(events: pa.Table, runs: list[dict]) -> Break | None:
    """Every run that recorded an event must still have its record (a deleted last run
    leaves no gap in the runs chain, but its events still name it)."""
    known = {r["run_id"] for r in runs}
    for no, run_id in zip(
        events.column("event_no").to_pylist(), events.column("run_id").to_pylist(), strict=True
    ):
        if run_id is not None and run_id not in known:
            return Break(
                "runs",
                f"run {run_id}",
                "missing",
                f"event_no {no} was recorded by this run, which runs no longer holds: the"
                " run record was deleted",
            )
    return None


def _check_link(
    chain_name: str,
    where: str,
    number_name: str,
    no: int,
    expected_no: int,
    prev: str | None,
    expected_prev: str,
    stored: str | None,
    record: str,
    position: dict[str, int],
) -> Break | None:
    """The first thing wrong with one link, checked in the order that names it best."""
    if no > expected_no:
        gap = (
            f"{number_name} {expected_no} is missing"
            if no == expected_no + 1
            else f"{number_name} {expected_no} to {no - 1} are missing"
        )
        return Break(chain_name, where, "missing", f"{gap} (deleted): the chain jumps to {no}")
    if no < expected_no:
        return Break(chain_name, where, "reordered", f"{number_name} {no} appears twice")
    if not stored:
        return Break(chain_name, where, "unchained", "it has no hash: it was not written by recon")
    if prev != expected_prev and prev in position and position[prev] != no - 1:
        return Break(
            chain_name,
            where,
            "reordered",
            f"it is linked after {number_name} {position[prev]} (its prev_hash is that"
            f" row's hash), not after {number_name} {no - 1}: the rows were reordered",
        )
    if link(prev or "", record) != stored:
        return Break(
            chain_name,
            where,
            "changed",
            "its columns no longer give its stored hash: the row was changed after recon wrote it",
        )
    if prev != expected_prev:
        before = f"{number_name} {no - 1}" if no > 1 else "the start of the chain"
        return Break(
            chain_name,
            where,
            "relinked",
            f"its prev_hash is not the hash of {before}: that row was changed and re-hashed,"
            " or this link was edited",
        )
    return None


def _check_published(runs: list[dict], published: Sequence[PublishedHead]) -> list[Break]:
    by_no = {r["run_no"]: r for r in runs if r["run_no"] is not None}
    breaks = []
    for head in published:
        run = by_no.get(head.run_no)
        if run is None:
            breaks.append(
                Break(
                    "published",
                    head.source,
                    "missing",
                    f"it published run_no {head.run_no}, which the store no longer has",
                )
            )
        elif run["hash"] != head.run_hash:
            breaks.append(
                Break(
                    "published",
                    head.source,
                    "recomputed",
                    f"it published run_no {head.run_no} ({run['run_id']}) with hash"
                    f" {head.run_hash}; the store now has {run['hash']}: the chain was"
                    " recomputed after that run",
                )
            )
    return breaks


def _heads(con: duckdb.DuckDBPyConnection) -> dict:
    rows = con.sql(load_sql("recon.store", "audit_heads")).to_arrow_table().to_pylist()
    return rows[0]


def _one(
    con: duckdb.DuckDBPyConnection, script: str, params: dict[str, object] | None = None
) -> tuple | None:
    rows = con.execute(load_sql("recon.store", script), params or {}).fetchall()
    return rows[0] if rows else None


def _run_records(con: duckdb.DuckDBPyConnection, from_run_no: int) -> list[dict]:
    return (
        con.sql(load_sql("recon.store", "audit_run_records"), params={"from_run_no": from_run_no})
        .to_arrow_table()
        .to_pylist()
    )


def _with_links(con: duckdb.DuckDBPyConnection, links: pa.Table, script: str) -> None:
    con.register(LINKS, links)
    try:
        run_statements(con, load_sql("recon.store", script))
    finally:
        con.unregister(LINKS)
