"""Who may do what: the one authorization rule of the store (docs/store.md, "Roles").

Every path that changes the store (the library's actions, so the CLI and the web app alike)
asks `require(user, action)` before it writes. A store without users has no roles: nothing
is checked there (the actions skip this module), as before users existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recon.errors import PermissionDenied

if TYPE_CHECKING:
    from recon.store.users import User

ROLES = ("viewer", "analyst", "approver", "admin")  # least to most
ACTIONS = (
    "view",
    "assign",
    "reassign",
    "resolve",
    "reopen",
    "comment",
    "attach",
    "propose",
    "post",
    "approve",
    "reject",
    "manage_users",
    "set_approval_limit",
)

_VIEWER = frozenset({"view"})
_ANALYST = _VIEWER | {"assign", "resolve", "reopen", "comment", "attach", "propose", "post"}
_APPROVER = _ANALYST | {"approve", "reject"}
_ADMIN = frozenset(ACTIONS)

GRANTS: dict[str, frozenset[str]] = {  # by role, in the order of ROLES
    "viewer": _VIEWER,
    "analyst": _ANALYST,
    "approver": _APPROVER,
    "admin": _ADMIN,  # the team lead: everything, incl. reassign, users and the approval limit
}


def allowed(user: User, action: str, *, assignee: str | None = None) -> bool:
    """Whether `require(user, action, assignee=...)` would let `user` go ahead."""
    try:
        require(user, action, assignee=assignee)
    except PermissionDenied:
        return False
    return True


def require(user: User, action: str, *, assignee: str | None = None) -> None:
    """Raise `PermissionDenied` (one line naming the user, role and action) unless `user`
    may do `action`. A disabled user may do nothing.

    `assignee` (for "assign"): whom the exception goes to. Only an admin assigns to someone
    else; an analyst or approver takes items for themself. (Taking an item someone else holds
    is `reassign`, an admin's: `ClaimedError` in the actions says so.)
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if user.disabled:
        raise PermissionDenied(f"user {user.name} is disabled")
    if action not in GRANTS.get(user.role, frozenset()):
        raise PermissionDenied(
            f"{user.name} ({user.role}) may not {_verb(action)}; {_who_may(action)} may"
        )
    if action == "assign" and assignee is not None and assignee != user.name:
        if "reassign" not in GRANTS[user.role]:
            raise PermissionDenied(
                f"{user.name} ({user.role}) may assign exceptions only to themself, not to"
                f" {assignee}; an admin assigns to others"
            )


def _verb(action: str) -> str:
    return {
        "manage_users": "manage users",
        "set_approval_limit": "set the approval limit",
        "view": "view the store",
    }.get(action, action)


def _who_may(action: str) -> str:
    roles = [role for role, grants in GRANTS.items() if action in grants]
    return " or ".join(roles) if len(roles) < 3 else ", ".join(roles[:-1]) + " or " + roles[-1]
