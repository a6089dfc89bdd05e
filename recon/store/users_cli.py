"""`recon users ...`: the store's users and roles (add, list, disable, passwd).

A thin skin over `recon.store.users`. Passwords are never taken as an argument (it would sit
in the shell history and the process list): they are read from stdin when it is piped (the
first line), else asked twice at a prompt that does not echo. Every failure is one line on
stderr and exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC

from recon.errors import ReconError, UserError
from recon.exit_codes import ExitCode
from recon.safety import terminal_text
from recon.store.actor import USER_ENV, check_actor, cli_actor
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.permissions import ROLES

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `users` with its subcommands to the `recon` parser."""
    group = subparsers.add_parser(
        "users",
        help="the store's users and roles: add, list, disable, passwd",
        description="Users of the exception store and their roles (viewer, analyst, approver,"
        " admin). Once a store has users, every change names an enabled user (--actor or"
        f" ${USER_ENV}) whose role allows it. The first user must be an admin; after that"
        " only an admin manages users.",
    )
    commands = group.add_subparsers(dest="users_command", metavar="COMMAND", required=True)

    adding = commands.add_parser(
        "add",
        help="add a user with a role; the password is read from stdin or a prompt",
        description="Add a user. The password is the first line of stdin when it is piped,"
        " else asked twice at a prompt. The store's first user must be --role admin.",
    )
    adding.add_argument("name", metavar="NAME", help="the user name (letters, digits, ._@-)")
    adding.add_argument("--role", required=True, choices=ROLES, help="what the user may do")
    _common(adding)
    adding.set_defaults(handler=_guard(_add))

    listing = commands.add_parser("list", help="every user with role and state")
    _common(listing)
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=_guard(_list))

    disabling = commands.add_parser(
        "disable",
        help="disable a user (an admin's act); their history stays",
        description="Disable a user: they can no longer log in or act. The last enabled"
        " admin cannot be disabled.",
    )
    disabling.add_argument("name", metavar="NAME", help="the user")
    _common(disabling)
    disabling.set_defaults(handler=_guard(_disable))

    passwd = commands.add_parser(
        "passwd",
        help="set a user's password (an admin for anyone, a user for themself)",
        description="Set a password, read from stdin when piped, else asked twice.",
    )
    passwd.add_argument("name", metavar="NAME", help="the user")
    _common(passwd)
    passwd.set_defaults(handler=_guard(_passwd))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default="recon.duckdb", help="exception store file (default: recon.duckdb)"
    )
    parser.add_argument(
        "--actor",
        default=cli_actor(),
        help=f"who is acting (default: ${USER_ENV}, else your OS user name); an enabled admin"
        " once the store has users",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"how long to wait for a run holding the store (default {DEFAULT_WAIT_SECONDS:g})",
    )


def _guard(handler: Handler) -> Handler:
    """recon's errors are one line on stderr and exit 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            check_actor(args.actor)
            return handler(args)
        except ReconError as err:
            print(terminal_text(f"recon users {args.users_command}: {err}"), file=sys.stderr)
            return int(ExitCode.FAILED)

    run.__doc__ = handler.__doc__
    return run


def read_password(name: str) -> str:
    """The new password: stdin's first line when stdin is not a terminal, else typed twice
    at a prompt (not echoed); `UserError` when the two differ or nothing was given."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = getpass.getpass(f"new password for {name}: ")
    second = getpass.getpass(f"new password for {name} again: ")
    if first != second:
        raise UserError("the two passwords differ; nothing was changed")
    return first


def _add(args: argparse.Namespace) -> int:
    from recon.store.passwords import check_password
    from recon.store.users import add_user, check_name

    check_name(args.name)  # before a prompt for a password that could not be used
    password = check_password(read_password(args.name))
    user = add_user(
        args.store, args.name, args.role, password, actor=args.actor, wait_seconds=args.wait
    )
    print(terminal_text(f"added {user.name} as {user.role}"))
    return int(ExitCode.CLEAN)


def _list(args: argparse.Namespace) -> int:
    from recon.store.users import list_users

    users = list_users(args.store, wait_seconds=args.wait)
    if args.format == "json":
        rows = [
            {
                "name": u.name,
                "role": u.role,
                "disabled": u.disabled,
                "created_at": u.created_at.astimezone(UTC).isoformat(),
            }
            for u in users
        ]
        print(json.dumps(rows, indent=2))
        return int(ExitCode.CLEAN)
    if not users:
        print("no users: every change is recorded under the name given, unchecked")
        return int(ExitCode.CLEAN)
    width = max(len(u.name) for u in users)
    for u in users:
        state = "disabled" if u.disabled else "enabled"
        since = u.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        print(terminal_text(f"{u.name:<{width}}  {u.role:<8}  {state:<8}  since {since}"))
    return int(ExitCode.CLEAN)


def _disable(args: argparse.Namespace) -> int:
    from recon.store.users import disable_user

    disable_user(args.store, args.name, actor=args.actor, wait_seconds=args.wait)
    print(terminal_text(f"disabled {args.name}"))
    return int(ExitCode.CLEAN)


def _passwd(args: argparse.Namespace) -> int:
    from recon.store.passwords import check_password
    from recon.store.users import set_password

    password = check_password(read_password(args.name))
    set_password(args.store, args.name, password, actor=args.actor, wait_seconds=args.wait)
    print(terminal_text(f"password of {args.name} changed"))
    return int(ExitCode.CLEAN)
