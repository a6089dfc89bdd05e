"""Brief, exclusive access to the exception store, with a clear wait instead of a lock error.

DuckDB lets one process hold a database file read-write and then refuses every other open
("Could not set lock"). recon puts an advisory `flock` on `<store>.lock` in front of it:
writers take it exclusively, readers shared, and a writer records who it is in that file so
whoever waits can say whom it waits for. The kernel drops the lock when a process dies, so a
killed run never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from recon.errors import StoreBusyError, StoreError, one_line
from recon.store.location import location_of, looks_like_url

STORE_ALIAS = "recon_store"  # every store SQL names its tables `recon_store.<table>`
DEFAULT_WAIT_SECONDS = 60.0
_POLL_SECONDS = 0.2
_DUCKDB_PID = re.compile(r"PID (\d+)")

log = logging.getLogger("recon.store")


def lock_path_of(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


@contextmanager
def attached_store(
    con: duckdb.DuckDBPyConnection,
    store_path: str | Path,
    *,
    write: bool,
    create: bool = False,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    owner: str = "",
) -> Iterator[None]:
    """Attach the store to `con` as `recon_store` for the length of the block, then detach.

    A PostgreSQL store (`postgresql://...`) is attached as a mirror written back when a
    writer's block ends well, in one PostgreSQL transaction (recon/store/pg/attach.py).

    Waits up to `wait_seconds` for another holder (logging who it is once), then raises
    `StoreBusyError` naming the store. A store that does not exist is a `StoreError` unless
    `create` (a run creates its store; an analyst's command never does).
    """
    if looks_like_url(store_path):
        from recon.store.pg.attach import attached_pg  # psycopg only for a PostgreSQL store

        with attached_pg(
            con, location_of(store_path), write=write, wait_seconds=wait_seconds, owner=owner
        ):
            yield
        return
    path = Path(store_path)
    if not path.exists() and not (write and create):
        raise StoreError(f"no exception store at {path} (a `recon run` with --store creates it)")
    if write:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            why = "a file stands in its way" if isinstance(err, FileExistsError) else err.strerror
            raise StoreError(
                f"cannot create the folder of the exception store {path}: {why}"
            ) from None
    patience = _Patience(path, time.monotonic() + max(0.0, wait_seconds))
    with _advisory_lock(path, exclusive=write, patience=patience, owner=owner):
        _attach(con, path, read_only=not write, patience=patience)
        try:
            yield
        except duckdb.IOException as err:
            if str(path) not in str(err):
                raise
            raise StoreError(_damaged(path, err)) from None  # attached, then unreadable
        finally:
            try:
                con.execute(f"DETACH {STORE_ALIAS}")
            except duckdb.Error:
                pass  # a store that broke mid-read may not detach cleanly; the error stands


def _damaged(path: Path, err: Exception) -> str:
    return (
        f"cannot open the exception store {path}: {one_line(err)} (the file is damaged or"
        " truncated: restore it from a copy)"
    )


class _Patience:
    """Waiting for a busy store: say so once, retry every _POLL_SECONDS, give up at the
    deadline. Shared by recon's own lock and DuckDB's file lock."""

    def __init__(self, path: Path, deadline: float) -> None:
        self.path = path
        self.deadline = deadline
        self.announced = False

    def busy(self, holder: str) -> None:
        """Wait one poll interval, or raise StoreBusyError naming `holder` past the deadline."""
        if time.monotonic() >= self.deadline:
            raise StoreBusyError(_busy_message(self.path, holder, gave_up=True)) from None
        if not self.announced:
            log.warning(_busy_message(self.path, holder, gave_up=False, deadline=self.deadline))
            self.announced = True
        time.sleep(_POLL_SECONDS)


@contextmanager
def _advisory_lock(
    path: Path, *, exclusive: bool, patience: _Patience, owner: str
) -> Iterator[None]:
    lock_file = lock_path_of(path)
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o664)
    except PermissionError:
        if exclusive:
            raise StoreError(
                f"cannot create the lock file {lock_file}: permission denied"
            ) from None
        yield  # a reader in a read-only folder: DuckDB's own shared lock still protects it
        return
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                patience.busy(_holder(fd))
        if exclusive:
            _write_holder(fd, owner)
        try:
            yield
        finally:
            if exclusive:
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _attach(
    con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool, patience: _Patience
) -> None:
    """ATTACH, retrying while a process outside recon's lock (a duckdb shell) holds the file."""
    sql = f"ATTACH $path AS {STORE_ALIAS}" + (" (READ_ONLY)" if read_only else "")
    while True:
        try:
            con.execute(sql, {"path": str(path)})
            return
        except duckdb.IOException as err:
            text = str(err)
            if "lock" not in text.lower():
                raise StoreError(_damaged(path, err)) from None
            pid = _DUCKDB_PID.search(text)
            holder = f"process {pid.group(1)}" if pid else "another process"
            patience.busy(holder + " (outside recon, e.g. a duckdb shell)")
        except duckdb.Error as err:
            raise StoreError(
                f"cannot open the exception store {path}: {err} (is it a recon DuckDB store?)"
            ) from None


def _write_holder(fd: int, owner: str) -> None:
    info = {"pid": os.getpid(), "owner": owner, "since": datetime.now(UTC).isoformat()}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)


def _holder(fd: int) -> str:
    """Who holds the lock, as far as the lock file says (a reader leaves it empty)."""
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "another recon process (reading it, or starting up)"
    what = info.get("owner") or "a recon process"
    return f"{what} (pid {info['pid']}, since {info.get('since', '?')})"


def _busy_message(path: Path, holder: str, *, gave_up: bool, deadline: float = 0.0) -> str:
    if gave_up:
        return (
            f"exception store {path} is in use by {holder}; gave up waiting. Try again when"
            " it has finished, or allow a longer wait."
        )
    left = max(0.0, deadline - time.monotonic())
    return f"exception store {path} is in use by {holder}; waiting up to {left:.0f}s"
