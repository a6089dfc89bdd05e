"""What an analyst does to an exception: assign, resolve, reopen. Each change is one
transaction that writes the new state and its audit event together, with the actor's name
(checked: one printable line) and the OS user, the event chained to the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from recon.errors import IllegalTransitionError, StoreError, UnknownExceptionError
from recon.sql import load_sql, run_statements
from recon.store import audit
from recon.store.actor import check_actor, os_user
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.session import store_change
from recon.store.statuses import (
    ASSIGNABLE,
    ASSIGNED,
    OPEN,
    REOPENABLE,
    RESOLUTION_CODES,
    RESOLVABLE,
    RESOLVED,
)


@dataclass(frozen=True)
class Transition:
    """One change an analyst made, as the audit log records it."""

    exception_id: str
    action: str
    from_status: str
    to_status: str
    actor: str
    at: datetime
    note: str | None = None


def assign(
    store_path: str | Path,
    exception_id: str,
    *,
    to: str,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Give an open exception to `to` (reassigning an assigned one is a hand-over)."""
    if not to.strip():
        raise StoreError("assign needs a person: --to WHO")
    to = check_actor(to, flag="--to")
    return _change(
        store_path,
        exception_id,
        action="ASSIGNED",
        allowed=ASSIGNABLE,
        to_status=ASSIGNED,
        actor=actor,
        note=note or f"assigned to {to}",
        now=now,
        wait_seconds=wait_seconds,
        assignee=to.strip(),
    )


def resolve(
    store_path: str | Path,
    exception_id: str,
    *,
    code: str,
    note: str,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Close an open exception with a resolution code from `RESOLUTION_CODES` and a note.

    Later runs never reopen or heal a resolved exception: only `reopen` does.
    """
    code = code.strip().upper()
    if code not in RESOLUTION_CODES:
        raise StoreError(
            f"unknown resolution code {code!r}; use one of {', '.join(RESOLUTION_CODES)}"
        )
    if not note.strip():
        raise StoreError("a resolution needs a note saying what was done (--note)")
    return _change(
        store_path,
        exception_id,
        action="RESOLVED",
        allowed=RESOLVABLE,
        to_status=RESOLVED,
        actor=actor,
        note=f"{code}: {note}",
        now=now,
        wait_seconds=wait_seconds,
        resolution=(code, note),
        closing=True,
    )


def reopen(
    store_path: str | Path,
    exception_id: str,
    *,
    note: str,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Put a resolved or self-healed exception back on the queue as OPEN, unassigned."""
    if not note.strip():
        raise StoreError("reopening needs a note saying why (--note)")
    return _change(
        store_path,
        exception_id,
        action="REOPENED",
        allowed=REOPENABLE,
        to_status=OPEN,
        actor=actor,
        note=note,
        now=now,
        wait_seconds=wait_seconds,
        assignee=None,
    )


_KEEP = object()


def _change(
    store_path: str | Path,
    exception_id: str,
    *,
    action: str,
    allowed: tuple[str, ...],
    to_status: str,
    actor: str,
    note: str,
    now: datetime | None,
    wait_seconds: float,
    assignee: object = _KEEP,
    resolution: tuple[str | None, str | None] = (None, None),
    closing: bool = False,
) -> Transition:
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: {action.lower()} {exception_id}", wait_seconds=wait_seconds
    ) as con:
        row = con.execute(
            "SELECT status, assignee FROM recon_store.exceptions WHERE exception_id = $id",
            {"id": exception_id},
        ).fetchone()
        if row is None:
            raise UnknownExceptionError(
                f"{store_path}: no exception {exception_id!r}"
                " (see `recon exceptions list --status all`)"
            )
        status, current_assignee = row
        if status not in allowed:
            raise IllegalTransitionError(
                f"{exception_id} is {status}; it cannot be {action.lower()}"
                f" (only an exception that is {' or '.join(allowed)} can)"
            )
        change = {
            "exception_id": exception_id,
            "now": now,
            "actor": actor,
            "os_user": os_user(),
            "action": action,
            "from_status": status,
            "to_status": to_status,
            "note": note,
            "assignee": current_assignee if assignee is _KEEP else assignee,
            "resolution_code": resolution[0],
            "resolution_note": resolution[1],
            "closed_at": now if closing else None,
        }
        run_statements(con, load_sql("recon.store", "transition_event"), change)
        audit.append_events(con)
        run_statements(con, load_sql("recon.store", "transition"), change)
    return Transition(exception_id, action, status, to_status, actor, now, note)
