"""`recon exceptions ...`: the analysts' commands over the exception store.

`register(subparsers)` adds the command group to the `recon` parser; each subcommand sets
`handler`, which takes the parsed namespace and returns the exit code (0 done, 2 a clear error
on stderr: unknown id, illegal transition, busy or missing store). `main(argv)` runs the group
on its own (tests, `python -m recon.store.commands`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from recon.config import SlaPolicy, load_config, parse_timestamp
from recon.errors import ReconError
from recon.exit_codes import ExitCode
from recon.safety import show_controls, terminal_text
from recon.store.actions import Transition, assign, reopen, resolve
from recon.store.actor import default_actor
from recon.store.export import EXPORT_FORMATS, export_exceptions
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.statuses import RESOLUTION_CODES, STATUSES

if TYPE_CHECKING:  # imported by the handlers that use them: building the parser stays cheap
    import polars as pl
    from rich.console import Console
    from rich.text import Text

    from recon.store.queries import ExceptionDetail, ExceptionFilter

Handler = Callable[[argparse.Namespace], int]

QUEUE_COLUMNS = (
    "exception_id",
    "type",
    "subtype",
    "txn_ref",
    "customer_id",
    "amount",
    "currency",
    "status",
    "severity",
    "age_hours",
    "sla_due_at",
    "sla_breached",
    "assignee",
)


_NO_WRAP = frozenset({"exception_id", "type", "subtype", "txn_ref", "field"})


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `exceptions` with its subcommands (list, show, assign, resolve, reopen, export)."""
    group = subparsers.add_parser(
        "exceptions",
        help="work the exception queue: list, show, assign, resolve, reopen, export",
        description="Work the exception store that `recon run` fills: look at the open"
        " exceptions, take them, close them with a resolution code, export them.",
    )
    commands = group.add_subparsers(dest="exceptions_command", metavar="COMMAND", required=True)

    listing = commands.add_parser(
        "list",
        help="the exceptions matching filters, most urgent (earliest SLA due) first",
        description="List exceptions with their age, severity, SLA due time and assignee."
        " Without --status, only open ones (OPEN, ASSIGNED).",
    )
    _common(listing)
    _filters(listing)
    listing.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    listing.set_defaults(handler=_guard(_list))

    show = commands.add_parser(
        "show",
        help="one exception: its fields, source rows side by side, full history",
        description="Show one exception with the source rows its evidence points at (kept in"
        " the store, with file and line) and every change of status.",
    )
    show.add_argument("exception_id", metavar="ID", help="the exception id, e.g. EX-3F9A...")
    _common(show)
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    show.set_defaults(handler=_guard(_show))

    assigning = commands.add_parser(
        "assign",
        help="give an open exception to someone",
        description="Assign an OPEN or ASSIGNED exception to a person (a hand-over if it"
        " already had one).",
    )
    assigning.add_argument("exception_id", metavar="ID", help="the exception id")
    assigning.add_argument("--to", required=True, metavar="WHO", help="who takes it")
    assigning.add_argument("--note", help="optional note for the audit log")
    _common(assigning)
    assigning.set_defaults(handler=_guard(_assign))

    resolving = commands.add_parser(
        "resolve",
        help="close an open exception with a resolution code and a note",
        description="Resolve an OPEN or ASSIGNED exception. Later runs leave a resolved"
        " exception resolved even if they find it again. Codes: "
        + "; ".join(f"{code}: {meaning}" for code, meaning in RESOLUTION_CODES.items()),
    )
    resolving.add_argument("exception_id", metavar="ID", help="the exception id")
    resolving.add_argument(
        "--code",
        required=True,
        type=str.upper,
        choices=tuple(RESOLUTION_CODES),
        help="why it is closed",
    )
    resolving.add_argument("--note", required=True, help="what was done (kept in the audit log)")
    _common(resolving)
    resolving.set_defaults(handler=_guard(_resolve))

    reopening = commands.add_parser(
        "reopen",
        help="put a resolved or self-healed exception back on the queue",
        description="Reopen a RESOLVED or SELF_HEALED exception: it becomes OPEN, unassigned.",
    )
    reopening.add_argument("exception_id", metavar="ID", help="the exception id")
    reopening.add_argument("--note", required=True, help="why it is reopened")
    _common(reopening)
    reopening.set_defaults(handler=_guard(_reopen))

    exporting = commands.add_parser(
        "export",
        help="write the (filtered) exceptions to a CSV or Excel file",
        description="Export the exceptions `list` would show, with every column, to a file.",
    )
    exporting.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="file format")
    exporting.add_argument("--output", required=True, metavar="FILE", help="file to write")
    exporting.add_argument(
        "--mask",
        action="store_true",
        help="mask account and customer ids (AC******0224) for a file that leaves the team",
    )
    _common(exporting)
    _filters(exporting)
    exporting.set_defaults(handler=_guard(_export))


def main(argv: Sequence[str] | None = None) -> int:
    """Run `exceptions ...` alone, as `recon` would (argv without the program name)."""
    parser = argparse.ArgumentParser(prog="recon", description="recon exception commands")
    register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default="recon.duckdb", help="exception store file (default: recon.duckdb)"
    )
    parser.add_argument(
        "--actor",
        default=default_actor(),
        help="who is acting, recorded with every change (default: your user name)",
    )
    parser.add_argument(
        "--config", metavar="TOML", help="recon.toml whose [sla] table grades severity and SLA"
    )
    parser.add_argument(
        "--as-of",
        metavar="TIMESTAMP",
        help="age exceptions as of this ISO 8601 time instead of now (UTC if no offset)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"how long to wait for a run holding the store (default {DEFAULT_WAIT_SECONDS:g})",
    )


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", action="append", default=[], help="finding type (repeatable)")
    parser.add_argument("--subtype", action="append", default=[], help="subtype (repeatable)")
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        type=str.upper,
        choices=(*STATUSES, "ALL"),
        help="status (repeatable; ALL for every status; default OPEN and ASSIGNED)",
    )
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        type=str.upper,
        choices=("HIGH", "MEDIUM", "LOW"),
        help="severity (repeatable)",
    )
    parser.add_argument("--min-age", type=_decimal, metavar="HOURS", help="at least this old")
    parser.add_argument("--max-age", type=_decimal, metavar="HOURS", help="at most this old")
    parser.add_argument("--min-amount", type=_decimal, help="amount at least")
    parser.add_argument("--max-amount", type=_decimal, help="amount at most")
    parser.add_argument("--customer", help="customer id")
    parser.add_argument("--assignee", help="assigned to")
    parser.add_argument("--run", metavar="RUN_ID", help="found or changed by this run")
    parser.add_argument("--text", help="search txn_ref, evidence and analysts' notes")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _guard(handler: Handler) -> Handler:
    """Turn recon's errors into one line on stderr and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        from recon.store.actor import check_actor

        try:
            check_actor(args.actor)  # one printable line, or refused before anything is read
            return handler(args)
        except ReconError as err:
            message = terminal_text(f"recon exceptions {args.exceptions_command}: {err}")
            print(message, file=sys.stderr)
            return int(ExitCode.FAILED)

    run.__doc__ = handler.__doc__
    return run


def _sla(args: argparse.Namespace) -> SlaPolicy:
    return load_config(args.config).sla if args.config else SlaPolicy()


def _as_of(args: argparse.Namespace) -> datetime | None:
    return parse_timestamp(args.as_of) if args.as_of else None


def _filter_of(args: argparse.Namespace) -> ExceptionFilter:
    from recon.store.queries import ExceptionFilter

    statuses: tuple[str, ...] = tuple(args.status)
    if "ALL" in statuses:
        statuses = ()
    elif not statuses:
        statuses = ExceptionFilter().statuses
    return ExceptionFilter(
        statuses=statuses,
        types=tuple(args.type),
        subtypes=tuple(args.subtype),
        severities=tuple(args.severity),
        min_age_hours=args.min_age,
        max_age_hours=args.max_age,
        min_amount=args.min_amount,
        max_amount=args.max_amount,
        customer=args.customer,
        assignee=args.assignee,
        run_id=args.run,
        text=args.text,
    )


def _list(args: argparse.Namespace) -> int:
    from recon.store.queries import list_exceptions

    frame = list_exceptions(
        args.store, _filter_of(args), as_of=_as_of(args), sla=_sla(args), wait_seconds=args.wait
    )
    if args.format == "csv":
        from recon.store.export import csv_text

        sys.stdout.write(show_controls(csv_text(frame)))
    elif args.format == "json":
        print(json.dumps([_plain(row) for row in frame.to_dicts()], indent=2))
    else:
        _print_table(frame.select(QUEUE_COLUMNS), title=f"{frame.height} exception(s)")
    return int(ExitCode.CLEAN)


def _show(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from recon.store.queries import exception_detail

    detail = exception_detail(
        args.store, args.exception_id, as_of=_as_of(args), sla=_sla(args), wait_seconds=args.wait
    )
    if args.format == "json":
        print(json.dumps(_detail_json(detail), indent=2))
        return int(ExitCode.CLEAN)
    console = Console(file=sys.stdout, width=max(160, Console().width))
    fields = Table(title=_text(f"exception {args.exception_id}"), show_header=False)
    fields.add_column("field", style="bold")
    fields.add_column("value", overflow="fold")  # a long value is cut by us, with a marker
    for name, value in detail.exception.items():
        fields.add_row(_text(name), _text(value))
    fields.add_row("seen by runs", _text(", ".join(detail.runs_seen)))
    fields.add_row("incidents", _text(", ".join(detail.incidents)))
    console.print(fields)
    _print_table(detail.source_rows(), title="source rows", console=console)
    _print_table(detail.history, title="history", console=console)
    return int(ExitCode.CLEAN)


def _assign(args: argparse.Namespace) -> int:
    done = assign(
        args.store,
        args.exception_id,
        to=args.to,
        actor=args.actor,
        note=args.note,
        wait_seconds=args.wait,
    )
    return _done(done)


def _resolve(args: argparse.Namespace) -> int:
    done = resolve(
        args.store,
        args.exception_id,
        code=args.code,
        note=args.note,
        actor=args.actor,
        wait_seconds=args.wait,
    )
    return _done(done)


def _reopen(args: argparse.Namespace) -> int:
    done = reopen(
        args.store, args.exception_id, note=args.note, actor=args.actor, wait_seconds=args.wait
    )
    return _done(done)


def _export(args: argparse.Namespace) -> int:
    done = export_exceptions(
        args.store,
        args.output,
        args.format,
        _filter_of(args),
        as_of=_as_of(args),
        sla=_sla(args),
        wait_seconds=args.wait,
        mask=args.mask,
    )
    cut = (
        f"; {done.truncated} value(s) longer than an Excel cell holds were cut, each ending"
        " in '…[truncated, N chars]'"
        if done.truncated
        else ""
    )
    print(terminal_text(f"wrote {done.rows} exception(s) to {args.output}{cut}"))
    return int(ExitCode.CLEAN)


def _done(change: Transition) -> int:
    print(
        terminal_text(
            f"{change.exception_id}: {change.from_status} -> {change.to_status}"
            f" by {change.actor} ({change.note})"
        )
    )
    return int(ExitCode.CLEAN)


def _print_table(frame: pl.DataFrame, *, title: str, console: Console | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(file=sys.stdout, width=max(240, Console().width))
    table = Table(title=_text(title))
    for name in frame.columns:
        table.add_column(_text(name), overflow="fold", no_wrap=name in _NO_WRAP)
    for row in frame.iter_rows():
        table.add_row(*(_text(v) for v in row))
    console.print(table)


def _text(value: Any) -> Text:
    """A value for the terminal as rich `Text`, never markup: `[bold]` prints as typed, and
    control and bidi characters are shown visibly (recon.safety.terminal_text)."""
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, datetime):
        return Text(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ"))
    return Text(terminal_text(value))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe values: money and ages as exact decimal strings, times as ISO 8601."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, datetime | date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _detail_json(detail: ExceptionDetail) -> dict[str, Any]:
    return {
        "exception": _plain(detail.exception),
        "source_rows": [
            {**_plain(r), "row": json.loads(r["row"]) if r["row"] else None}
            for r in detail.evidence.to_dicts()
        ],
        "history": [_plain(r) for r in detail.history.to_dicts()],
        "runs_seen": list(detail.runs_seen),
        "incidents": list(detail.incidents),
    }


if __name__ == "__main__":
    sys.exit(main())
