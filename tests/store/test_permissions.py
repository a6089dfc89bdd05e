"""The roles matrix (docs/store.md, "Roles"): permissions.require is the one rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recon.errors import PermissionDenied
from recon.store.permissions import ACTIONS, ROLES, allowed, require
from recon.store.users import User

# action -> the roles that may do it, as documented
MATRIX = {
    "view": {"viewer", "analyst", "approver", "admin"},
    "assign": {"analyst", "approver", "admin"},
    "resolve": {"analyst", "approver", "admin"},
    "reopen": {"analyst", "approver", "admin"},
    "comment": {"analyst", "approver", "admin"},
    "attach": {"analyst", "approver", "admin"},
    "propose": {"analyst", "approver", "admin"},
    "post": {"analyst", "approver", "admin"},
    "approve": {"approver", "admin"},
    "reject": {"approver", "admin"},
    "reassign": {"admin"},
    "manage_users": {"admin"},
    "set_approval_limit": {"admin"},
}


def user(role: str, *, disabled: bool = False, name: str = "u") -> User:
    return User(
        name=name, role=role, disabled=disabled, created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )


def test_the_matrix_covers_every_action():
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_may_do_exactly_its_actions(role, action):
    assert allowed(user(role), action) == (role in MATRIX[action])


def test_a_refusal_names_the_user_the_role_and_who_may():
    with pytest.raises(
        PermissionDenied, match=r"u \(viewer\) may not resolve; analyst, approver or admin may"
    ):
        require(user("viewer"), "resolve")


@pytest.mark.parametrize("role", ROLES)
def test_a_disabled_user_may_do_nothing(role):
    with pytest.raises(PermissionDenied, match="disabled"):
        require(user(role, disabled=True), "view")


@pytest.mark.parametrize("role", ["analyst", "approver"])
def test_an_analyst_assigns_only_to_themself(role):
    require(user(role, name="ann"), "assign", assignee="ann")
    with pytest.raises(PermissionDenied, match="only to themself, not to bob"):
        require(user(role, name="ann"), "assign", assignee="bob")


def test_an_admin_assigns_to_anyone():
    require(user("admin", name="lead"), "assign", assignee="bob")


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action"):
        require(user("admin"), "delete_everything")
