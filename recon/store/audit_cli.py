"""`recon audit ...`: check and read the store's provable history.

`recon audit verify` recomputes the hash chains over `events` and `runs` and exits 0 (intact,
with the heads and counts), 1 (a chain is broken: the first broken link is named) or 2 (the
store cannot be checked). `recon audit log` lists every event of the store: who did what,
when, from which status to which, the note, the run and the OS user.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from recon.config import parse_timestamp
from recon.errors import ReconError
from recon.safety import spreadsheet_cell, terminal_text
from recon.store.lock import DEFAULT_WAIT_SECONDS

INTACT, BROKEN, CANNOT_CHECK = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `audit` with its subcommands (verify, log) to the `recon` parser."""
    group = subparsers.add_parser(
        "audit",
        help="check and read the store's history: verify the hash chain, list who did what",
        description="The exception store's audit trail is hash-chained (docs/store.md,"
        " 'Provable history'): verify it, or list its events.",
    )
    commands = group.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)

    verify = commands.add_parser(
        "verify",
        help="recompute the audit chain; exit 1 naming the first broken link",
        description="Recompute the hash chains over the store's events and runs. Exit 0 with"
        " the heads and counts when intact, 1 naming the first broken link (a changed row, a"
        " missing event_no, an order change), 2 when the store cannot be checked.",
        epilog="Exit codes: 0 intact, 1 chain broken, 2 cannot check.",
    )
    _store_options(verify)
    verify.add_argument(
        "--summary",
        action="append",
        default=[],
        type=Path,
        metavar="SUMMARY_JSON",
        help="a summary.json published by an earlier run: its audit_head must still be in"
        " the chain (repeatable); this is what exposes a chain recomputed after the fact",
    )
    verify.set_defaults(handler=_guard(_verify))

    log = commands.add_parser(
        "log",
        help="every event of the store: who did what, when, from/to, note, run, OS user",
        description="List the store's audit events oldest first, optionally narrowed.",
    )
    _store_options(log)
    log.add_argument("--actor", help="only this actor's events (case-insensitive)")
    log.add_argument(
        "--since",
        metavar="TIMESTAMP",
        help="events at or after this ISO 8601 time (UTC if no offset), or today / yesterday"
        " (from midnight on this machine's clock)",
    )
    log.add_argument(
        "--until",
        metavar="TIMESTAMP",
        help="events before this ISO 8601 time (UTC if no offset), or today / yesterday",
    )
    log.add_argument(
        "--action",
        help="only events of this action (ASSIGNED, REASSIGNED, RESOLVED, COMMENTED, ATTACHED,"
        " USER_ADDED, ...)",
    )
    log.add_argument("--exception", metavar="EX-...", help="only this exception's events")
    log.add_argument("--run", metavar="RUN_ID", help="only the events of this run")
    log.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    log.set_defaults(handler=_guard(_log))


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default="recon.duckdb", help="exception store file (default: recon.duckdb)"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"how long to wait for a run holding the store (default {DEFAULT_WAIT_SECONDS:g})",
    )


def _guard(handler: Handler) -> Handler:
    """recon's errors are one line on stderr and exit 2: the store could not be read."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReconError as err:
            print(terminal_text(f"recon audit {args.audit_command}: {err}"), file=sys.stderr)
            return CANNOT_CHECK

    run.__doc__ = handler.__doc__
    return run


def _verify(args: argparse.Namespace) -> int:
    from recon.store.audit import PublishedHead, verify_store

    try:
        published = [PublishedHead.from_summary(path) for path in args.summary]
    except ValueError as err:
        print(terminal_text(f"recon audit verify: {err}"), file=sys.stderr)
        return CANNOT_CHECK
    verdict = verify_store(args.store, published, wait_seconds=args.wait)
    counts = f"{verdict.events} event(s)"
    if verdict.event_no is not None:
        counts += f", head event_no {verdict.event_no} {verdict.event_hash}"
    counts += f"; {verdict.runs} run(s)"
    if verdict.run_no is not None:
        counts += f", head run_no {verdict.run_no} ({verdict.run_id}) {verdict.run_hash}"
    if verdict.intact:
        checked = f"; {len(published)} published head(s) match" if published else ""
        print(terminal_text(f"audit chain intact: {counts}{checked}"))
        return INTACT
    for found in verdict.breaks:
        print(terminal_text(f"audit chain broken ({found.chain}, {found.what}): {found}"))
    print(terminal_text(f"as stored: {counts}"))
    return BROKEN


def _log(args: argparse.Namespace) -> int:
    from recon.store.audit import LogFilter, audit_log

    filters = LogFilter(
        actor=args.actor,
        since=_moment(args.since),
        until=_moment(args.until),
        exception_id=args.exception,
        run_id=args.run,
        action=args.action,
    )
    frame = audit_log(args.store, filters, wait_seconds=args.wait)
    rows = frame.to_dicts()
    if args.format == "json":
        print(json.dumps([{k: _json_value(v) for k, v in r.items()} for r in rows], indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row.values()])
    else:
        _print_table(frame.columns, rows)
    return INTACT


DAYS_BACK = {"today": 0, "yesterday": 1}


def _moment(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """An ISO 8601 time (UTC without an offset), or `today` / `yesterday`: that day's
    midnight in this machine's local time zone ("who did what today")."""
    if not text:
        return None
    word = text.strip().lower()
    if word in DAYS_BACK:
        local = (now or datetime.now(UTC)).astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=DAYS_BACK[word])
    return parse_timestamp(text)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return spreadsheet_cell(value)


def _print_table(columns: list[str], rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=sys.stdout, width=max(200, Console().width))
    table = Table(title=f"{len(rows)} event(s)")
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=name in {"exception_id", "run_id"})
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row.values()))
    console.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%fZ")
    return terminal_text(value)
