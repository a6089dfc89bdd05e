"""Users of a store: bootstrap, roles, passwords, disabling; each change an audit event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recon.errors import PermissionDenied, UserError
from recon.store.audit import verify_store
from recon.store.users import (
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
    set_password,
    store_has_users,
)

from .builders import table_rows
from .team import PASSWORD, team_store


@pytest.fixture
def bare(store, con):
    """A store with findings and no users."""
    return team_store(store, con, users=False)


@pytest.fixture
def team(store, con):
    return team_store(store, con)


def test_a_store_starts_without_users(bare):
    assert not store_has_users(bare)
    assert list_users(bare) == []


def test_anyone_who_can_write_the_store_adds_its_first_user_an_admin(bare):
    user = add_user(bare, "lead", "admin", PASSWORD, actor="whoever")
    assert (user.name, user.role, user.disabled) == ("lead", "admin", False)
    assert store_has_users(bare)


def test_the_first_user_must_be_an_admin(bare):
    with pytest.raises(UserError, match="first user of a store must be an admin"):
        add_user(bare, "ann", "analyst", PASSWORD, actor="whoever")
    assert not store_has_users(bare)


def test_after_the_first_user_only_an_admin_adds_users(team):
    with pytest.raises(PermissionDenied, match=r"ann \(analyst\) may not manage users"):
        add_user(team, "eve", "admin", PASSWORD, actor="ann")
    assert get_user(team, "eve") is None


def test_an_unknown_actor_cannot_add_users_once_there_are_some(team):
    with pytest.raises(PermissionDenied, match="mallory is not a user of this store"):
        add_user(team, "eve", "admin", PASSWORD, actor="mallory")


def test_user_names_are_unique_ignoring_case(team):
    with pytest.raises(UserError, match="a user ann already exists"):
        add_user(team, "ANN", "viewer", PASSWORD, actor="lead")


@pytest.mark.parametrize("name", ["", "a b", "-ann", "ann\n", "x" * 65, "ann;drop", "unassigned"])
def test_a_user_name_must_be_plain(team, name):
    with pytest.raises(UserError):
        add_user(team, name, "analyst", PASSWORD, actor="lead")


def test_an_unknown_role_is_refused(team):
    with pytest.raises(UserError, match="unknown role 'boss'"):
        add_user(team, "eve", "boss", PASSWORD, actor="lead")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("", "empty"),
        ("short", "too short: at least 10 characters, it has 5"),
        (" padded password ", "white space"),
        ("ten chars\x07!", "control character"),
    ],
)
def test_an_empty_or_short_password_is_refused_with_the_reason(team, password, why):
    with pytest.raises(UserError, match=why):
        add_user(team, "eve", "analyst", password, actor="lead")


def test_only_an_argon2_hash_is_stored(team):
    stored = {r[0]: r[2] for r in table_rows(team, "users")}
    assert stored["ann"].startswith("$argon2id$")
    assert PASSWORD not in stored["ann"]


def test_authenticate_returns_the_user_for_the_right_password(team):
    user = authenticate(team, "ann", PASSWORD)
    assert user is not None
    assert (user.name, user.role) == ("ann", "analyst")


@pytest.mark.parametrize(("name", "password"), [("ann", "wrong password"), ("nobody", PASSWORD)])
def test_authenticate_returns_none_for_a_wrong_password_or_an_unknown_name(team, name, password):
    assert authenticate(team, name, password) is None


def test_a_disabled_user_cannot_authenticate(team):
    disable_user(team, "ann", actor="lead")
    assert authenticate(team, "ann", PASSWORD) is None
    assert get_user(team, "ann").disabled


def test_only_an_admin_disables_users(team):
    with pytest.raises(PermissionDenied):
        disable_user(team, "bob", actor="ann")


def test_the_last_enabled_admin_cannot_be_disabled(team):
    with pytest.raises(UserError, match="last enabled admin"):
        disable_user(team, "lead", actor="lead")


def test_disabling_twice_says_so(team):
    disable_user(team, "ann", actor="lead")
    with pytest.raises(UserError, match="already disabled"):
        disable_user(team, "ann", actor="lead")


def test_a_user_changes_their_own_password(team):
    set_password(team, "ann", "a new long password", actor="ann")
    assert authenticate(team, "ann", "a new long password") is not None
    assert authenticate(team, "ann", PASSWORD) is None


def test_a_new_password_is_when_the_user_last_changed(team):
    """`changed_at` lets the web app end the sign-ins from before a new password."""
    assert get_user(team, "ann").changed_at is None
    when = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    set_password(team, "ann", "a new long password", actor="ann", now=when)
    assert get_user(team, "ann").changed_at == when


def test_an_admin_sets_anyones_password(team):
    set_password(team, "bob", "reset by the lead", actor="lead")
    assert authenticate(team, "bob", "reset by the lead") is not None


def test_a_user_cannot_set_someone_elses_password(team):
    with pytest.raises(PermissionDenied):
        set_password(team, "bob", "taken over by ann", actor="ann")


def test_a_password_for_an_unknown_user_is_refused(team):
    with pytest.raises(UserError, match="no user 'eve'"):
        set_password(team, "eve", "some long password", actor="lead")


def test_every_user_change_is_a_chained_event_about_the_user(team):
    set_password(team, "ann", "a new long password", actor="ann")
    disable_user(team, "bob", actor="lead")
    events = [
        (r[1], r[3], r[5], r[6], r[7])
        for r in table_rows(team, "events", "event_no")
        if r[1].startswith("user:")
    ]
    assert events[0] == ("user:lead", "root", "USER_ADDED", None, "admin")
    assert events[-2:] == [
        ("user:ann", "ann", "PASSWORD_SET", "analyst", "analyst"),
        ("user:bob", "lead", "USER_DISABLED", "analyst", "DISABLED"),
    ]
    assert verify_store(team).intact


def test_no_event_or_user_holds_a_password(team):
    set_password(team, "ann", "a new long password", actor="ann")
    everything = repr(table_rows(team, "events")) + repr(table_rows(team, "users"))
    assert PASSWORD not in everything
    assert "a new long password" not in everything
