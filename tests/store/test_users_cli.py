"""`recon users ...`: passwords from stdin or a prompt asked twice, one-line errors, exit 2."""

from __future__ import annotations

import io
import json

import pytest

from recon.cli import main
from recon.store.users import authenticate, get_user

from .team import PASSWORD, team_store


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def bare(store, con):
    return team_store(store, con, users=False)


@pytest.fixture
def team(store, con):
    return team_store(store, con)


def users(capsys, store, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *argv, "--store", str(store)])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_reads_the_password_from_piped_stdin(bare, capsys, monkeypatch):
    code, out, _ = users(capsys, bare, "add", "lead", "--role", "admin",
                         stdin=f"{PASSWORD}\n", monkeypatch=monkeypatch)  # fmt: skip
    assert (code, out) == (0, "added lead as admin\n")
    assert authenticate(bare, "lead", PASSWORD) is not None


def test_add_asks_twice_at_a_terminal(bare, capsys, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    code, _, _ = users(capsys, bare, "add", "lead", "--role", "admin")
    assert code == 0
    assert authenticate(bare, "lead", PASSWORD) is not None


def test_two_different_answers_at_the_prompt_change_nothing(bare, capsys, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    code, _, err = users(capsys, bare, "add", "lead", "--role", "admin")
    assert code == 2
    assert err == "recon users add: the two passwords differ; nothing was changed\n"
    assert get_user(bare, "lead") is None


@pytest.mark.parametrize(
    ("stdin", "why"), [("\n", "the password is empty"), ("short\n", "too short")]
)
def test_an_empty_or_short_password_is_one_line_and_exit_2(bare, capsys, monkeypatch, stdin, why):
    code, _, err = users(capsys, bare, "add", "lead", "--role", "admin", stdin=stdin,
                         monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2
    assert err.count("\n") == 1
    assert why in err


def test_the_first_user_must_be_an_admin(bare, capsys, monkeypatch):
    code, _, err = users(capsys, bare, "add", "ann", "--role", "analyst", stdin=PASSWORD,
                         monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2
    assert "the first user of a store must be an admin" in err


def test_only_an_admin_adds_more_users(team, capsys, monkeypatch):
    code, _, err = users(capsys, team, "add", "eve", "--role", "admin", "--actor", "ann",
                         stdin=PASSWORD, monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2
    assert "ann (analyst) may not manage users" in err


def test_list_shows_name_role_and_state(team, capsys):
    code, out, _ = users(capsys, team, "list", "--format", "json")
    listed = {u["name"]: (u["role"], u["disabled"]) for u in json.loads(out)}
    assert code == 0
    assert listed == {
        "ann": ("analyst", False), "apr": ("approver", False), "bob": ("analyst", False),
        "lead": ("admin", False), "vic": ("viewer", False),
    }  # fmt: skip


def test_list_of_a_store_without_users_says_nothing_is_checked(bare, capsys):
    assert "no users" in users(capsys, bare, "list")[1]


def test_disable_by_the_admin(team, capsys):
    code, out, _ = users(capsys, team, "disable", "bob", "--actor", "lead")
    assert (code, out) == (0, "disabled bob\n")
    assert get_user(team, "bob").disabled


def test_passwd_for_oneself(team, capsys, monkeypatch):
    code, _, _ = users(capsys, team, "passwd", "ann", "--actor", "ann",
                       stdin="my new long password\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0
    assert authenticate(team, "ann", "my new long password") is not None


def test_a_password_is_never_an_argument(team, capsys):
    with pytest.raises(SystemExit):
        main(["users", "add", "eve", "--role", "viewer", "--password", PASSWORD])
