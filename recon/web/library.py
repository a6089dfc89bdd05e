"""Calling the store's library from a request: briefly, one writer at a time, and with a
short wait for a run that holds the store.

The library's functions wait up to a minute by default for whoever holds the store; a page
should not. Each call passes the web app's short wait (`wait_seconds`), so a store a run is
committing turns into the library's `StoreBusyError` quickly, which the app shows as a "try
again in a few seconds" page (503 with Retry-After).

Requests of this server queue for each other here (readers together, a writer alone, as the
store's own lock would have them), so the short wait is spent only on holders outside the
server: runs and CLI commands. While one request has just found the store busy, the next ones
do not wait again for a second (`BUSY_MEMORY_SECONDS`): they answer 503 at once instead of
each spending the wait in turn behind it.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from recon.errors import StoreBusyError

if TYPE_CHECKING:
    from fastapi import Request

T = TypeVar("T")
BUSY_MEMORY_SECONDS = 1.0


class StoreGate:
    """A readers-writer lock in front of one store, for this process's threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self.busy_until = 0.0  # time.monotonic() until which a wait is not worth it

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


_gates: dict[str, StoreGate] = {}
_gates_lock = threading.Lock()


def gate_of(store_path: object) -> StoreGate:
    with _gates_lock:
        return _gates.setdefault(str(store_path), StoreGate())


@cache
def _takes_wait(fn: Callable[..., Any]) -> bool:
    try:
        return "wait_seconds" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def call(
    fn: Callable[..., T],
    store_path: object,
    *args: Any,
    wait: float,
    write: bool = False,
    **kwargs: Any,
) -> T:
    """`fn(store_path, *args, **kwargs)` through the store's gate (`write`: alone), with
    `wait_seconds` the short wait (none while the store was just found busy)."""
    gate = gate_of(store_path)
    with gate.writing() if write else gate.reading():
        if _takes_wait(fn):
            recently_busy = time.monotonic() < gate.busy_until
            kwargs.setdefault("wait_seconds", 0.0 if recently_busy else wait)
        try:
            return fn(store_path, *args, **kwargs)
        except StoreBusyError:
            gate.busy_until = time.monotonic() + BUSY_MEMORY_SECONDS
            raise


def read(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(served store, *args, **kwargs)` for this request: with the other readers, after
    at most the app's short wait for a holder outside the server."""
    settings = request.app.state.settings
    return call(fn, settings.store_path, *args, wait=settings.busy_wait_seconds, **kwargs)


def write(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """As `read`, for a library function that changes the store: alone at the gate."""
    settings = request.app.state.settings
    return call(
        fn, settings.store_path, *args, wait=settings.busy_wait_seconds, write=True, **kwargs
    )
