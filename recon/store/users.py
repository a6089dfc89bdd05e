"""The analysts' team: users of one store, their roles and passwords (docs/store.md).

A store without users works as before users existed: the actor is a free name. The first
user is added by whoever can write the file (bootstrap) and must be an admin; after that only
an enabled admin manages users, and every analyst action names an enabled user whose role
allows it (`permissions.require`). Each change of a user is an event in the store's audit
chain, about `user:<name>`, so `recon audit log` and `verify` cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from recon.errors import PermissionDenied, UserError
from recon.sql import load_sql, run_statements
from recon.store import audit, passwords, permissions
from recon.store.actor import check_actor
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.permissions import ROLES
from recon.store.reading import readable_store
from recon.store.session import store_change

# a user name is typed in commands and shown in pages and logs: keep it plain
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
RESERVED_NAMES = frozenset({"unassigned"})  # the queue's "nobody holds it" filter value
SUBJECT_PREFIX = "user:"  # events.exception_id of an event about a user

__all__ = [
    "ROLES",
    "User",
    "acting_user",
    "add_user",
    "authenticate",
    "check_name",
    "check_role",
    "disable_user",
    "get_user",
    "list_users",
    "set_password",
    "store_has_users",
]


@dataclass(frozen=True)
class User:
    """One user of the store as the library sees it (never with the password hash)."""

    name: str
    role: str
    disabled: bool
    created_at: datetime
    # the last change of the user (password set, disabled): a sign-in from before it ends
    changed_at: datetime | None = None


def add_user(
    store_path: str | Path,
    name: str,
    role: str,
    password: str,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> User:
    """Add a user. The store's first user must be an admin and may be added by anyone who can
    write the store; later ones only by an enabled admin (`actor`)."""
    name = check_name(name)
    role = check_role(role)
    password_hash = passwords.hash_password(password)  # slow: before the store is held
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: add user {name}", wait_seconds=wait_seconds
    ) as con:
        if _count(con) == 0:
            if role != "admin":
                raise UserError(
                    f"the first user of a store must be an admin (it manages the others);"
                    f" add {name} with --role admin, or add an admin first"
                )
        else:
            _admin(con, actor)
        taken = _row(con, name, exact=False)
        if taken is not None:
            raise UserError(f"a user {taken['name']} already exists; user names are unique")
        params = {"name": name, "role": role, "password_hash": password_hash, "now": now,
                  "actor": actor}  # fmt: skip
        _event(con, name, "USER_ADDED", None, role, f"added {name} as {role}", actor, now)
        run_statements(con, load_sql("recon.store", "users_insert"), params)
    return User(name=name, role=role, disabled=False, created_at=now)


def disable_user(
    store_path: str | Path,
    name: str,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> None:
    """Disable a user (an admin's act): they can no longer log in or act; their history
    stays. The last enabled admin cannot be disabled (nobody could manage users then)."""
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: disable user {name}", wait_seconds=wait_seconds
    ) as con:
        _admin(con, actor)
        row = _existing(con, store_path, name)
        if row["disabled"]:
            raise UserError(f"user {name} is already disabled")
        if row["role"] == "admin" and _enabled_admins(con) == 1:
            raise UserError(
                f"{name} is the last enabled admin; add another admin before disabling them"
            )
        _event(con, name, "USER_DISABLED", row["role"], "DISABLED", f"disabled {name}", actor, now)
        run_statements(
            con,
            load_sql("recon.store", "users_disable"),
            {"name": name, "now": now, "actor": actor},
        )


def set_password(
    store_path: str | Path,
    name: str,
    password: str,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> None:
    """Set a user's password: an admin for anyone, an enabled user for themself."""
    password_hash = passwords.hash_password(password)
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: password of {name}", wait_seconds=wait_seconds
    ) as con:
        acting = acting_user(con, actor)
        row = _existing(con, store_path, name)  # on a store without users: no such user
        if acting is not None and acting.name != name:
            permissions.require(acting, "manage_users")
        if row["disabled"]:
            raise UserError(f"user {name} is disabled; their password cannot be changed")
        _event(con, name, "PASSWORD_SET", row["role"], row["role"],
               f"password of {name} changed", actor, now)  # fmt: skip
        run_statements(
            con,
            load_sql("recon.store", "users_set_password"),
            {"name": name, "password_hash": password_hash, "now": now, "actor": actor},
        )


def authenticate(
    store_path: str | Path,
    name: str,
    password: str,
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> User | None:
    """The user `name` if `password` is theirs and they are enabled; None otherwise (unknown,
    disabled or wrong password: the caller cannot tell which, nor by the time it takes)."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        row = _row(con, name) if isinstance(name, str) else None
    if not passwords.verify_password(row["password_hash"] if row else None, password):
        return None
    if row is None or row["disabled"]:
        return None
    return _user(row)


def get_user(
    store_path: str | Path, name: str, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> User | None:
    """The user called exactly `name`, or None."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        row = _row(con, name)
    return None if row is None else _user(row)


def list_users(store_path: str | Path, *, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> list[User]:
    """Every user of the store (disabled ones too), by name."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        rows = _dicts(con.execute(load_sql("recon.store", "users_list")))
    return [_user(r) for r in rows]


def store_has_users(store_path: str | Path, *, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> bool:
    """Whether the store has any user: then every action is checked against roles."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return _count(con) > 0


def acting_user(con: duckdb.DuckDBPyConnection, actor: str) -> User | None:
    """Who `actor` is in the attached store: None when the store has no users (nothing is
    checked there); else the enabled user of that name, or `PermissionDenied`."""
    if _count(con) == 0:
        return None
    row = _row(con, actor)
    if row is None:
        raise PermissionDenied(
            f"{actor} is not a user of this store (give --actor or RECON_USER a user name;"
            " an admin adds users with `recon users add`)"
        )
    if row["disabled"]:
        raise PermissionDenied(f"user {actor} is disabled")
    return _user(row)


def require_acting(con: duckdb.DuckDBPyConnection, actor: str, action: str) -> None:
    """On a store with users: `actor` is an enabled user allowed `action`, or
    `PermissionDenied` (a store without users checks nothing)."""
    user = acting_user(con, actor)
    if user is not None:
        permissions.require(user, action)


def check_name(name: object) -> str:
    """A user name that may be created, or `UserError` saying why not."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        shown = name if isinstance(name, str) else type(name).__name__
        raise UserError(
            f"user name {shown!r} is not allowed: 1 to 64 letters, digits, '.', '_', '@' or"
            " '-', starting with a letter or digit"
        )
    if name.lower() in RESERVED_NAMES:
        raise UserError(f"user name {name!r} is reserved (the queue's filter for no assignee)")
    return name


def check_role(role: object) -> str:
    """One of `ROLES`, or `UserError`."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    return str(role)


def _admin(con: duckdb.DuckDBPyConnection, actor: str) -> User:
    user = acting_user(con, actor)
    assert user is not None  # only called on a store with users
    permissions.require(user, "manage_users")
    return user


def _existing(con: duckdb.DuckDBPyConnection, store_path: str | Path, name: str) -> dict:
    row = _row(con, name)
    if row is None:
        raise UserError(f"{store_path}: no user {name!r} (see `recon users list`)")
    return row


def _event(
    con: duckdb.DuckDBPyConnection,
    name: str,
    action: str,
    from_state: str | None,
    to_state: str,
    note: str,
    actor: str,
    now: datetime,
) -> None:
    """The user change's event, appended to the store's audit chain."""
    audit.append_event(
        con, about=SUBJECT_PREFIX + name, action=action, from_status=from_state,
        to_status=to_state, note=note, actor=actor, now=now,
    )  # fmt: skip


def _count(con: duckdb.DuckDBPyConnection) -> int:
    return _counts(con)[0]


def _enabled_admins(con: duckdb.DuckDBPyConnection) -> int:
    return _counts(con)[1]


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = con.execute(load_sql("recon.store", "users_counts")).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _row(con: duckdb.DuckDBPyConnection, name: str, *, exact: bool = True) -> dict | None:
    rows = _dicts(con.execute(load_sql("recon.store", "users_get"), {"name": name, "exact": exact}))
    return rows[0] if rows else None


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _user(row: dict) -> User:
    return User(
        name=row["name"],
        role=row["role"],
        disabled=bool(row["disabled"]),
        created_at=row["created_at"],
        changed_at=row.get("changed_at"),
    )
