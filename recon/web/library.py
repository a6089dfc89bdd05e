"""Calling the store's library from a request: with a short wait for a busy store.

The library's functions wait up to a minute by default for a run that holds the store; a
page should not. Where a function takes `wait_seconds`, each request passes the web app's
short wait, so a busy store turns into the library's `StoreBusyError` quickly, which the app
shows as a "try again in a few seconds" page (503 with Retry-After).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _takes_wait(fn: Callable[..., Any]) -> bool:
    try:
        return "wait_seconds" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def call(fn: Callable[..., T], *args: Any, wait: float, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)`, with `wait_seconds=wait` when `fn` takes it."""
    if _takes_wait(fn):
        kwargs.setdefault("wait_seconds", wait)
    return fn(*args, **kwargs)
