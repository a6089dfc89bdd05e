"""What an analyst does to an exception: assign, reassign, resolve, reopen, comment, attach,
and any of the first four over many exceptions at once (`bulk`).

The one place the store's exceptions are changed by people (the CLI and the web app call
these functions). Each change is one transaction that writes the new state and its audit
event together, with the actor's name (checked: one printable line) and the OS user, the
event chained to the one before it. Every change adds one to the exception's `version`.

Checks, in this order, before anything is written (docs/store.md, "Working as a team"):
who acts (on a store with users: an enabled user whose role allows the action,
`permissions.require`), that the exception exists, that it has not changed since the caller
saw it (`expected_version`, else `StaleVersionError`), that its status allows the action,
and that nobody else holds it (`ClaimedError`: taking a held item is a `reassign`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from recon.errors import (
    ClaimedError,
    IllegalTransitionError,
    PermissionDenied,
    StaleVersionError,
    StoreError,
    UnknownExceptionError,
)
from recon.sql import load_sql, run_statements
from recon.store import audit, permissions
from recon.store.actor import check_actor, os_user
from recon.store.attachments import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    Attachment,
    check_attachment,
    get_attachment,
)
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
    STATUSES,
)
from recon.store.users import User, acting_user

__all__ = [
    "BULK_ACTIONS",
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "MAX_COMMENT_CHARS",
    "Attachment",
    "BulkOutcome",
    "Transition",
    "add_attachment",
    "add_comment",
    "assign",
    "bulk",
    "get_attachment",
    "reassign",
    "reopen",
    "resolve",
]

MAX_COMMENT_CHARS = 10_000
BULK_ACTIONS = ("assign", "reassign", "resolve", "reopen")


@dataclass(frozen=True)
class Transition:
    """One change an analyst made, as the audit log records it; `version` is the
    exception's version after it."""

    exception_id: str
    action: str
    from_status: str
    to_status: str
    actor: str
    at: datetime
    note: str | None = None
    version: int = 0
    attachment_id: int | None = None  # add_attachment: the new attachment


@dataclass(frozen=True)
class BulkOutcome:
    """What `bulk` did with one exception id: applied (`ok`), or why it was refused."""

    exception_id: str
    ok: bool
    message: str
    transition: Transition | None = None  # the change, when applied


_KEEP = object()


@dataclass(frozen=True)
class _Change:
    """One action, prepared once (arguments checked) and applied to one or more exceptions."""

    action: str  # the event's action
    permission: str  # what permissions.require is asked
    allowed: tuple[str, ...]  # statuses it applies to
    to_status: str | None  # None: the status stays
    note: str
    assignee: object = _KEEP  # a name, None (cleared) or _KEEP
    resolution: object = _KEEP  # (code, note), (None, None) (cleared) or _KEEP
    closed: object = _KEEP  # True: closed now, None: cleared, or _KEEP
    claim: bool = False  # refuse an exception someone else holds (assign)
    assign_to: str | None = None  # whom it goes to (assign, reassign)


def assign(
    store_path: str | Path,
    exception_id: str,
    *,
    to: str,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Give an open exception to `to`. Refused (`ClaimedError`) when someone else holds it:
    taking a held item is `reassign`. On a store with users, an analyst assigns only to
    themself, an admin to anyone."""
    return _one(store_path, exception_id, _assigning(to, note), actor, expected_version, now,
                wait_seconds)  # fmt: skip


def reassign(
    store_path: str | Path,
    exception_id: str,
    *,
    to: str,
    note: str,
    actor: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Take an open exception from whoever holds it and give it to `to` (the team lead's
    act on a store with users; recorded as REASSIGNED with the note, which is required)."""
    return _one(store_path, exception_id, _reassigning(to, note), actor, expected_version, now,
                wait_seconds)  # fmt: skip


def resolve(
    store_path: str | Path,
    exception_id: str,
    *,
    code: str,
    note: str,
    actor: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Close an open exception with a resolution code from `RESOLUTION_CODES` and a note.

    Later runs never reopen or heal a resolved exception: only `reopen` does.
    """
    return _one(store_path, exception_id, _resolving(code, note), actor, expected_version, now,
                wait_seconds)  # fmt: skip


def reopen(
    store_path: str | Path,
    exception_id: str,
    *,
    note: str,
    actor: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Put a resolved or self-healed exception back on the queue as OPEN, unassigned."""
    return _one(store_path, exception_id, _reopening(note), actor, expected_version, now,
                wait_seconds)  # fmt: skip


def add_comment(
    store_path: str | Path,
    exception_id: str,
    *,
    text: str,
    actor: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Comment on an exception in any status without changing it: a COMMENTED event whose
    note is the text (so comments are in the audit chain, searchable with `--text`)."""
    if not isinstance(text, str) or not text.strip():
        raise StoreError("a comment needs some text (--text)")
    if len(text) > MAX_COMMENT_CHARS:
        raise StoreError(
            f"a comment holds at most {MAX_COMMENT_CHARS} characters; this one has {len(text)}"
        )
    change = _Change("COMMENTED", "comment", STATUSES, None, text.strip())
    return _one(store_path, exception_id, change, actor, expected_version, now, wait_seconds)


def add_attachment(
    store_path: str | Path,
    exception_id: str,
    *,
    name: str,
    content: bytes,
    actor: str,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    expected_version: int | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Transition:
    """Attach a file to an exception in any status. Stored whole with its SHA-256; the
    ATTACHED event records name, size and SHA-256. Empty files and files over `max_bytes`
    (`[web] max_attachment_bytes`) are refused."""
    name, content_type = check_attachment(name, content, content_type, max_bytes)
    sha256 = hashlib.sha256(content).hexdigest()
    note = f"{name} ({len(content)} bytes, {content_type}, sha256 {sha256})"
    change = _Change("ATTACHED", "attach", STATUSES, None, note)
    file = {"name": name, "content_type": content_type, "size": len(content),
            "sha256": sha256, "content": content}  # fmt: skip
    return _one(store_path, exception_id, change, actor, expected_version, now, wait_seconds,
                attachment=file)  # fmt: skip


def bulk(
    store_path: str | Path,
    ids: Iterable[str],
    action: str,
    *,
    actor: str,
    note: str | None,
    to: str | None = None,
    code: str | None = None,
    expected_versions: Mapping[str, int] | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> list[BulkOutcome]:
    """Apply one action (`assign` with `to`, `reassign` with `to`, `resolve` with `code`,
    `reopen`) with one note to many exceptions, in one transaction.

    Each id (repeats dropped, order kept) gets its own outcome: applied, with its own
    event, or refused with the reason (unknown, wrong status, held by someone else,
    changed since `expected_versions[id]`); a refused one is left exactly as it was and the
    others still apply. Raises instead, changing nothing, when the arguments are wrong or
    the actor may not do this action at all.
    """
    if action not in BULK_ACTIONS:
        raise StoreError(f"bulk does {', '.join(BULK_ACTIONS)}; not {action!r}")
    if action in ("assign", "reassign") and to is None:
        raise StoreError(f"bulk {action} needs a person: --to WHO")
    if action == "resolve" and code is None:
        raise StoreError("bulk resolve needs a resolution code (--code)")
    change = {
        "assign": lambda: _assigning(to or "", note),
        "reassign": lambda: _reassigning(to or "", note or ""),
        "resolve": lambda: _resolving(code or "", note or ""),
        "reopen": lambda: _reopening(note or ""),
    }[action]()
    unique = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    if not unique:
        raise StoreError("no exception ids given")
    versions = expected_versions or {}
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    outcomes: list[BulkOutcome] = []
    with store_change(
        store_path, owner=f"{actor}: {action} {len(unique)} exception(s)", wait_seconds=wait_seconds
    ) as con:
        _authorize(con, actor, change)
        staged: list[list[object]] = []
        for exception_id in unique:
            try:
                expected = versions.get(exception_id)
                done, row = _check(con, store_path, exception_id, change, actor=actor,
                                   expected_version=expected, now=now)  # fmt: skip
            except (UnknownExceptionError, IllegalTransitionError, StaleVersionError,
                    ClaimedError) as refused:  # fmt: skip
                outcomes.append(BulkOutcome(exception_id, False, str(refused)))
            else:
                staged.append(row)
                message = f"{done.from_status} -> {done.to_status}"
                outcomes.append(BulkOutcome(exception_id, True, message, done))
        _write(con, staged)
    return outcomes


def _assigning(to: str, note: str | None) -> _Change:
    to = _person(to)
    return _Change(
        "ASSIGNED", "assign", ASSIGNABLE, ASSIGNED,
        f"assigned to {to}" + (f": {note.strip()}" if note and note.strip() else ""),
        assignee=to, claim=True, assign_to=to,
    )  # fmt: skip


def _reassigning(to: str, note: str) -> _Change:
    to = _person(to)
    if not isinstance(note, str) or not note.strip():
        raise StoreError("reassigning needs a note saying why (--note)")
    return _Change("REASSIGNED", "reassign", ASSIGNABLE, ASSIGNED, note.strip(), assignee=to,
                   assign_to=to)  # fmt: skip


def _resolving(code: str, note: str) -> _Change:
    code = code.strip().upper()
    if code not in RESOLUTION_CODES:
        raise StoreError(
            f"unknown resolution code {code!r}; use one of {', '.join(RESOLUTION_CODES)}"
        )
    if not isinstance(note, str) or not note.strip():
        raise StoreError("a resolution needs a note saying what was done (--note)")
    return _Change("RESOLVED", "resolve", RESOLVABLE, RESOLVED, f"{code}: {note}",
                   resolution=(code, note), closed=True)  # fmt: skip


def _reopening(note: str) -> _Change:
    if not isinstance(note, str) or not note.strip():
        raise StoreError("reopening needs a note saying why (--note)")
    return _Change("REOPENED", "reopen", REOPENABLE, OPEN, note, assignee=None,
                   resolution=(None, None), closed=None)  # fmt: skip


def _person(to: object) -> str:
    if not isinstance(to, str) or not to.strip():
        raise StoreError("assign needs a person: --to WHO")
    return check_actor(to, flag="--to")


def _one(
    store_path: str | Path,
    exception_id: str,
    change: _Change,
    actor: str,
    expected_version: int | None,
    now: datetime | None,
    wait_seconds: float,
    attachment: dict | None = None,
) -> Transition:
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path,
        owner=f"{actor}: {change.action.lower()} {exception_id}",
        wait_seconds=wait_seconds,
    ) as con:
        _authorize(con, actor, change)
        done, staged = _check(con, store_path, exception_id, change, actor=actor,
                              expected_version=expected_version, now=now)  # fmt: skip
        _write(con, [staged])
        if attachment is not None:
            row = con.execute(
                load_sql("recon.store", "attachment_insert"),
                {**attachment, "exception_id": exception_id, "actor": actor, "now": now},
            ).fetchone()
            done = replace(done, attachment_id=int(row[0]) if row else None)
    return done


def _authorize(con: duckdb.DuckDBPyConnection, actor: str, change: _Change) -> None:
    """On a store with users: `actor` is an enabled user allowed `change`, and whoever gets
    the exception is an enabled user who may work exceptions. Nothing is checked on a store
    without users."""
    user = acting_user(con, actor)
    if user is None:
        return
    permissions.require(user, change.permission, assignee=change.assign_to)
    if change.assign_to is not None:
        _check_assignee(con, change.assign_to)


def _check_assignee(con: duckdb.DuckDBPyConnection, name: str) -> User:
    try:
        user = acting_user(con, name)
    except PermissionDenied as err:
        raise PermissionDenied(f"cannot assign to {name}: {_reason(err, name)}") from None
    assert user is not None  # the store has users: acting_user raised otherwise
    if not permissions.allowed(user, "resolve"):
        raise PermissionDenied(f"cannot assign to {name}: a {user.role} cannot work exceptions")
    return user


def _reason(err: PermissionDenied, name: str) -> str:
    return "not a user of this store" if "not a user" in str(err) else f"user {name} is disabled"


def _check(
    con: duckdb.DuckDBPyConnection,
    store_path: str | Path,
    exception_id: str,
    change: _Change,
    *,
    actor: str,
    expected_version: int | None,
    now: datetime,
) -> tuple[Transition, list[object]]:
    """Check `change` on one exception and say what it does: the transition and the row
    `_write` stages for it. Every refusal is raised here, reading only."""
    cursor = con.execute(load_sql("recon.store", "exception_state"), {"id": exception_id})
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    if found is None:
        raise UnknownExceptionError(
            f"{store_path}: no exception {exception_id!r}"
            " (see `recon exceptions list --status all`)"
        )
    row = dict(zip(names, found, strict=True))
    version = int(row["version"] or 1)
    if expected_version is not None and expected_version != version:
        raise StaleVersionError(_stale(con, exception_id, version, expected_version))
    status = row["status"]
    if status not in change.allowed:
        raise IllegalTransitionError(
            f"{exception_id} is {status}; it cannot be {change.action.lower()}"
            f" (only an exception that is {' or '.join(change.allowed)} can)"
        )
    holder = row["assignee"] if status == ASSIGNED else None
    if change.claim and holder is not None and holder != change.assign_to:
        raise ClaimedError(_claimed(con, exception_id, holder))
    note = change.note
    if change.action == "REASSIGNED":
        note = f"reassigned from {holder or 'nobody'} to {change.assign_to}: {note}"
    resolution = (
        (row["resolution_code"], row["resolution_note"])
        if change.resolution is _KEEP
        else change.resolution
    )
    assert isinstance(resolution, tuple)
    closed_at = row["closed_at"] if change.closed is _KEEP else (now if change.closed else None)
    to_status = change.to_status or status
    staged = [
        exception_id,
        now,
        actor,
        os_user(),
        change.action,
        status,
        to_status,
        note,
        row["assignee"] if change.assignee is _KEEP else change.assignee,
        resolution[0],
        resolution[1],
        closed_at,
    ]  # fmt: skip (the columns of transition_changes.sql, in order)
    done = Transition(exception_id, change.action, status, to_status, actor, now, note,
                      version + 1)  # fmt: skip
    return done, staged


def _write(con: duckdb.DuckDBPyConnection, staged: list[list[object]]) -> None:
    """Write checked changes inside the caller's transaction: their events chained and
    appended in one go (numbered in the order given), then the exceptions' new states."""
    if not staged:
        return
    run_statements(con, load_sql("recon.store", "transition_changes"))
    con.executemany(
        load_sql("recon.store", "transition_change"), [[n, *row] for n, row in enumerate(staged, 1)]
    )
    run_statements(con, load_sql("recon.store", "transition_events"))
    audit.append_events(con)
    run_statements(con, load_sql("recon.store", "transition"))


def _stale(con: duckdb.DuckDBPyConnection, exception_id: str, version: int, had: int) -> str:
    last = con.execute(load_sql("recon.store", "last_change"), {"id": exception_id}).fetchone()
    by = f" by {last[0]} at {_when(last[1])}" if last else ""
    return f"{exception_id} was changed{by} (version {version}, you had {had}); look again"


def _claimed(con: duckdb.DuckDBPyConnection, exception_id: str, holder: str) -> str:
    since = con.execute(load_sql("recon.store", "claimed_since"), {"id": exception_id}).fetchone()
    when = f" since {_when(since[0])}" if since else ""
    return (
        f"{exception_id} is held by {holder}{when}; taking it is a lead's"
        " `recon exceptions reassign` with a note"
    )


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
