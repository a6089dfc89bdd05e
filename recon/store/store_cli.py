"""`recon store migrate|copy`: create and fill a PostgreSQL store (docs/store.md, "PostgreSQL")."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from recon.config import load_config
from recon.errors import ReconError
from recon.safety import terminal_text
from recon.store.location import PgLocation, looks_like_url, pg_location
from recon.store.lock import DEFAULT_WAIT_SECONDS

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `store` with its subcommands (migrate, copy) to the `recon` parser."""
    group = subparsers.add_parser(
        "store",
        help="create, migrate or fill a PostgreSQL exception store",
        description="A team store on PostgreSQL: create it or bring it to this recon's schema"
        " (migrate), and move an existing DuckDB store into it with its history (copy).",
    )
    commands = group.add_subparsers(dest="store_command", metavar="COMMAND", required=True)

    migrate = commands.add_parser(
        "migrate",
        help="create the store's tables, or migrate them to this recon's schema",
        description="Create the store in an empty PostgreSQL database, or migrate an older"
        " one step by step (each step in its own transaction). Run it as the role that owns"
        " the store; runs and the web app refuse a store at another schema.",
    )
    migrate.add_argument("--store", help="postgresql://user@host:port/db (default: --config's)")
    _common(migrate)
    migrate.set_defaults(handler=_guard(_migrate))

    copy = commands.add_parser(
        "copy",
        help="copy a DuckDB store into a new PostgreSQL store, history included",
        description="Copy every table of a DuckDB store (runs, exceptions, events and their"
        " audit chain, evidence, users, attachments, proposals) into a PostgreSQL store with no"
        " rows yet, in one transaction, then verify the copy's audit chain.",
    )
    copy.add_argument("--from", dest="source", type=Path, required=True, help="the DuckDB store")
    copy.add_argument("--to", dest="target", required=True, help="postgresql://user@host:port/db")
    _common(copy)
    copy.set_defaults(handler=_guard(_copy))

    roles = commands.add_parser(
        "roles",
        help="print the SQL that makes the least-privilege roles (batch, web, auditor)",
        description="Print the SQL that creates the group roles recon_batch, recon_web and"
        " recon_auditor and grants each only what it needs (the events table append-only for"
        " all): `recon store roles | psql -d DB -v ON_ERROR_STOP=1`, as the store's owner.",
    )
    roles.set_defaults(handler=_guard(_roles))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="recon.toml: its store and password_file (the password)"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"how long to wait for a writer holding the store (default {DEFAULT_WAIT_SECONDS:g})",
    )


def _guard(handler: Handler) -> Handler:
    """recon's errors are one line on stderr and exit 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReconError as err:
            print(terminal_text(f"recon store {args.store_command}: {err}"), file=sys.stderr)
            return 2

    run.__doc__ = handler.__doc__
    return run


def _location(given: str | None, config_path: Path | None, flag: str) -> PgLocation:
    """The PostgreSQL store named by `flag` or else by the config, with the config's
    password_file."""
    config = load_config(config_path)
    store = given if given is not None else config.store
    if not looks_like_url(store):
        where = flag if given is not None else f"{config_path or 'the default config'}: store"
        raise ReconError(f"{where} must be a postgresql://user@host:port/db URL, not {store!r}")
    origin = flag if given is not None else "store"
    return pg_location(store, origin=origin, password_file=config.password_file)


def _migrate(args: argparse.Namespace) -> int:
    from recon.store.pg.migrate import migrate

    location = _location(args.store, args.config, "--store")
    done = migrate(location, wait_seconds=args.wait)
    if done.before == done.after:
        print(f"{location}: store schema {done.after}, nothing to do")
    elif done.before is None:
        print(f"{location}: store created at schema {done.after}")
    else:
        print(f"{location}: store migrated from schema {done.before} to {done.after}")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from recon.store.pg.copy import copy_store

    location = _location(args.target, args.config, "--to")
    done = copy_store(args.source, location, wait_seconds=args.wait)
    moved = ", ".join(f"{table} {count}" for table, count in done.rows.items() if count)
    print(f"copied {args.source} to {location}: {moved or 'no rows'}")
    verdict = done.verdict
    print(
        f"audit chain intact on the copy: {verdict.events} event(s), {verdict.runs} run(s),"
        f" head run_no {verdict.run_no} {verdict.run_hash}"
    )
    return 0


def _roles(args: argparse.Namespace) -> int:
    from recon.sql import load_sql

    sys.stdout.write(load_sql("recon.store.pg", "roles"))
    return 0
