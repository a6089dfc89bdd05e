"""`recon exceptions ...`: the analysts' commands over the exception store.

`register(subparsers)` adds the command group to the `recon` parser; each subcommand sets
`handler`, which takes the parsed namespace and returns the exit code (0 done, 2 a clear error
on stderr: unknown id, illegal transition, held by someone else, changed since, not allowed,
busy or missing store). `main(argv)` runs the group on its own (tests,
`python -m recon.store.commands`).

`assign`, `reassign`, `resolve` and `reopen` take several ids, or `-` to read them from
stdin (one per line): all of them in one transaction (`actions.bulk`), each applied one
printed, each refused one named on stderr with its reason; exit 2 if any was refused.
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
from recon.store.actions import Transition
from recon.store.actor import USER_ENV, cli_actor
from recon.store.export import EXPORT_FORMATS, export_exceptions
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.proposals_cli import print_alerts_line, print_remedies, remedies_json
from recon.store.queue_columns import SORTABLE, VIEW_NAMES
from recon.store.statuses import RESOLUTION_CODES, STATUSES

if TYPE_CHECKING:  # imported by the handlers that use them: building the parser stays cheap
    import polars as pl
    from rich.console import Console
    from rich.text import Text

    from recon.store.queries import ExceptionDetail, QueueQuery

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
    "version",
)


_NO_WRAP = frozenset({"exception_id", "type", "subtype", "txn_ref", "field"})


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `exceptions` with its subcommands (list, show, assign, reassign, resolve, reopen,
    comment, attach, export)."""
    group = subparsers.add_parser(
        "exceptions",
        help="work the exception queue: list, show, assign, resolve, reopen, comment, export",
        description="Work the exception store that `recon run` fills: look at the open"
        " exceptions, take them, close them with a resolution code, export them.",
    )
    commands = group.add_subparsers(dest="exceptions_command", metavar="COMMAND", required=True)

    listing = commands.add_parser(
        "list",
        help="the exceptions matching filters, most urgent (earliest SLA due) first",
        description="List exceptions with their age, severity, SLA due time, assignee and"
        " version. Without --status, only open ones (OPEN, ASSIGNED); without --sort, most"
        " urgent (earliest SLA due) first.",
    )
    _common(listing)
    _filters(listing)
    listing.add_argument(
        "--view",
        choices=VIEW_NAMES,
        help="a saved view: mine (assigned to --actor), breached (past the SLA),"
        " unassigned-high (nobody holds it, HIGH); other filters narrow it further",
    )
    listing.add_argument("--page", type=int, metavar="N", help="show page N (from 1)")
    listing.add_argument(
        "--page-size", type=int, metavar="N", help="rows per page (default 50 when paging)"
    )
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
        help="take open exceptions (or give them, as an admin)",
        description="Assign OPEN exceptions to a person. One that someone else holds is"
        " refused: taking it is `reassign`. On a store with users an analyst assigns only to"
        " themself.",
    )
    _ids(assigning)
    assigning.add_argument(
        "--to", metavar="WHO", help="who takes them (default: you, the acting user)"
    )
    assigning.add_argument("--note", help="optional note for the audit log")
    _common(assigning)
    assigning.set_defaults(handler=_guard(_bulk("assign")))

    reassigning = commands.add_parser(
        "reassign",
        help="take exceptions from whoever holds them and give them to someone (the lead's)",
        description="Reassign OPEN or ASSIGNED exceptions, also ones someone else holds:"
        " recorded as REASSIGNED with the note. On a store with users only an admin may.",
    )
    _ids(reassigning)
    reassigning.add_argument("--to", required=True, metavar="WHO", help="who takes them")
    reassigning.add_argument("--note", required=True, help="why (kept in the audit log)")
    _common(reassigning)
    reassigning.set_defaults(handler=_guard(_bulk("reassign")))

    resolving = commands.add_parser(
        "resolve",
        help="close open exceptions with a resolution code and a note",
        description="Resolve OPEN or ASSIGNED exceptions. Later runs leave a resolved"
        " exception resolved even if they find it again. Codes: "
        + "; ".join(f"{code}: {meaning}" for code, meaning in RESOLUTION_CODES.items()),
    )
    _ids(resolving)
    resolving.add_argument(
        "--code",
        required=True,
        type=str.upper,
        choices=tuple(RESOLUTION_CODES),
        help="why it is closed",
    )
    resolving.add_argument("--note", required=True, help="what was done (kept in the audit log)")
    _common(resolving)
    resolving.set_defaults(handler=_guard(_bulk("resolve")))

    reopening = commands.add_parser(
        "reopen",
        help="put resolved or self-healed exceptions back on the queue",
        description="Reopen RESOLVED or SELF_HEALED exceptions: they become OPEN, unassigned.",
    )
    _ids(reopening)
    reopening.add_argument("--note", required=True, help="why it is reopened")
    _common(reopening)
    reopening.set_defaults(handler=_guard(_bulk("reopen")))

    commenting = commands.add_parser(
        "comment",
        help="add a comment to an exception without changing its status",
        description="Comment on an exception in any status; the comment is an audit event.",
    )
    commenting.add_argument("exception_id", metavar="ID", help="the exception id")
    commenting.add_argument("--text", required=True, help="the comment")
    _expected_version(commenting)
    _common(commenting)
    commenting.set_defaults(handler=_guard(_comment))

    attaching = commands.add_parser(
        "attach",
        help="attach a file to an exception (stored with its SHA-256)",
        description="Attach a file to an exception in any status. The store keeps the file"
        " and its SHA-256; the audit event records name, size and SHA-256. Empty files and"
        " files over [web] max_attachment_bytes (default 5 MiB) are refused.",
    )
    attaching.add_argument("exception_id", metavar="ID", help="the exception id")
    attaching.add_argument("file", metavar="FILE", help="the file to attach")
    attaching.add_argument("--name", help="the name to store (default: the file's name)")
    attaching.add_argument(
        "--content-type", metavar="TYPE", help="e.g. application/pdf (default: guessed)"
    )
    _expected_version(attaching)
    _common(attaching)
    attaching.set_defaults(handler=_guard(_attach))

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
        default=cli_actor(),
        help=f"who is acting, recorded with every change (default: ${USER_ENV}, else your OS"
        " user name); on a store with users, an enabled user whose role allows the change",
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
    parser.add_argument("--min-amount", type=_decimal, metavar="AMOUNT", help="amount at least")
    parser.add_argument("--max-amount", type=_decimal, metavar="AMOUNT", help="amount at most")
    parser.add_argument("--customer", help="customer id")
    parser.add_argument("--assignee", help="assigned to")
    parser.add_argument("--run", metavar="RUN_ID", help="found or changed by this run")
    parser.add_argument("--text", help="search txn_ref, evidence and analysts' notes")
    parser.add_argument(
        "--breached",
        action="store_const",
        const=True,
        default=None,
        help="only those past their SLA due time",
    )
    parser.add_argument("--channel", help="the channel (APP, WEB, ...), any case")
    parser.add_argument("--incident", metavar="INCIDENT_ID", help="tagged by this incident")
    parser.add_argument(
        "--sort", choices=SORTABLE, metavar="COLUMN", help="order by this column (any column)"
    )
    parser.add_argument("--desc", action="store_true", help="with --sort: largest first")


def _ids(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "exception_ids",
        nargs="+",
        metavar="ID",
        help="one or more exception ids; - reads them from stdin, one per line",
    )
    _expected_version(parser)


def _expected_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expected-version",
        type=int,
        metavar="N",
        help="refuse if the exception is no longer at this version (one id only; see `show`)",
    )


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
            _refused(args, str(err))
            return int(ExitCode.FAILED)

    run.__doc__ = handler.__doc__
    return run


def _refused(args: argparse.Namespace, message: str) -> None:
    print(terminal_text(f"recon exceptions {args.exceptions_command}: {message}"), file=sys.stderr)


def _sla(args: argparse.Namespace) -> SlaPolicy:
    return load_config(args.config).sla if args.config else SlaPolicy()


def _as_of(args: argparse.Namespace) -> datetime | None:
    return parse_timestamp(args.as_of) if args.as_of else None


def _filter_of(args: argparse.Namespace) -> QueueQuery:
    """The query the filter options give: a saved view (`--view`, list only) narrowed by
    every option given, in the order of `--sort`."""
    from dataclasses import replace

    from recon.store.queries import DEFAULT_SORT, QueueQuery, saved_view

    view = getattr(args, "view", None)
    base = saved_view(view, args.actor) if view else QueueQuery()
    given: dict[str, Any] = {
        "types": tuple(args.type),
        "subtypes": tuple(args.subtype),
        "severities": tuple(args.severity),
        "min_age_hours": args.min_age,
        "max_age_hours": args.max_age,
        "min_amount": args.min_amount,
        "max_amount": args.max_amount,
        "customer": args.customer,
        "assignee": args.assignee,
        "run_id": args.run,
        "text": args.text,
        "breached": args.breached,
        "channel": args.channel,
        "incident_id": args.incident,
    }
    narrowed = {k: v for k, v in given.items() if v not in (None, ())}
    statuses: tuple[str, ...] = tuple(args.status)
    if statuses:
        narrowed["statuses"] = () if "ALL" in statuses else statuses
    return replace(
        base, **narrowed, sort=args.sort or DEFAULT_SORT, descending=bool(args.desc)
    ).checked()


def _list(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from recon.store.queries import list_exceptions

    query = _filter_of(args)
    frame = list_exceptions(
        args.store, query, as_of=_as_of(args), sla=_sla(args), wait_seconds=args.wait
    )
    title = f"{frame.height} exception(s)"
    if args.page is not None or args.page_size is not None:
        paged = replace(query, page=args.page or 1, page_size=args.page_size or 50).checked()
        total, size = frame.height, paged.page_size
        frame = frame.slice((paged.page - 1) * size, size)
        first = (paged.page - 1) * size + 1
        shown = f"rows {first}-{first + frame.height - 1}" if frame.height else "no rows"
        pages = max(1, -(-total // size))
        title = f"{total} exception(s); page {paged.page} of {pages}, {shown}"
    if args.format == "csv":
        from recon.store.export import csv_text

        sys.stdout.write(show_controls(csv_text(frame)))
    elif args.format == "json":
        print(json.dumps([_plain(row) for row in frame.to_dicts()], indent=2))
    else:
        _print_table(frame.select(QUEUE_COLUMNS), title=title)
        print_alerts_line(args.store, wait_seconds=args.wait)
    return int(ExitCode.CLEAN)


def _show(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from recon.store.queries import exception_detail

    detail = exception_detail(
        args.store, args.exception_id, as_of=_as_of(args), sla=_sla(args), wait_seconds=args.wait
    )
    if args.format == "json":
        remedies = remedies_json(args.store, args.exception_id, wait_seconds=args.wait)
        print(json.dumps({**_detail_json(detail), **remedies}, indent=2))
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
    if detail.comments is not None and detail.comments.height:
        _print_table(detail.comments, title="comments", console=console)
    if detail.attachments is not None and detail.attachments.height:
        _print_table(detail.attachments, title="attachments", console=console)
    print_remedies(console, args.store, args.exception_id, wait_seconds=args.wait)
    return int(ExitCode.CLEAN)


def _bulk(action: str) -> Handler:
    """The handler of `action` over the ids given (or read from stdin with `-`)."""

    def handler(args: argparse.Namespace) -> int:
        from recon.store.actions import bulk

        ids = _read_ids(args.exception_ids)
        versions = None
        if args.expected_version is not None:
            if len(ids) != 1:
                raise ReconError("--expected-version goes with one exception id")
            versions = {ids[0]: args.expected_version}
        outcomes = bulk(
            args.store,
            ids,
            action,
            actor=args.actor,
            note=args.note,
            to=getattr(args, "to", None) or (args.actor if action == "assign" else None),
            code=getattr(args, "code", None),
            expected_versions=versions,
            wait_seconds=args.wait,
        )
        for outcome in outcomes:
            if outcome.transition is not None:
                _done(outcome.transition)
            else:
                _refused(args, outcome.message)
        refused = sum(1 for o in outcomes if not o.ok)
        if len(outcomes) > 1:
            print(terminal_text(f"{len(outcomes) - refused} applied, {refused} refused"))
        return int(ExitCode.FAILED if refused else ExitCode.CLEAN)

    handler.__doc__ = f"`recon exceptions {action}` over one or more ids"
    return handler


def _read_ids(given: Sequence[str]) -> list[str]:
    """The ids given, with `-` replaced by the lines of stdin (blank lines skipped)."""
    ids: list[str] = []
    for item in given:
        if item == "-":
            ids.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            ids.append(item)
    if not ids:
        raise ReconError("no exception ids given (stdin was empty)")
    return ids


def _comment(args: argparse.Namespace) -> int:
    from recon.store.actions import add_comment

    done = add_comment(
        args.store,
        args.exception_id,
        text=args.text,
        actor=args.actor,
        expected_version=args.expected_version,
        wait_seconds=args.wait,
    )
    return _done(done)


def _attach(args: argparse.Namespace) -> int:
    from pathlib import Path

    from recon.store.actions import add_attachment
    from recon.store.attachments import DEFAULT_MAX_ATTACHMENT_BYTES, too_large

    limit = load_config(args.config).web.max_attachment_bytes if args.config else None
    limit = DEFAULT_MAX_ATTACHMENT_BYTES if limit is None else limit
    path = Path(args.file)
    name = args.name or path.name
    try:
        size = path.stat().st_size
        if size > limit:  # refused before reading a file that cannot be stored
            raise too_large(name, size, limit)
        content = path.read_bytes()
    except OSError as err:
        raise ReconError(f"cannot read {args.file}: {err.strerror or err}") from None
    done = add_attachment(
        args.store,
        args.exception_id,
        name=name,
        content=content,
        content_type=args.content_type,
        actor=args.actor,
        max_bytes=limit,
        expected_version=args.expected_version,
        wait_seconds=args.wait,
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
            f" by {change.actor} ({change.note}); version {change.version}"
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
        "version": detail.version,
        "comments": _rows(detail.comments),
        "attachments": _rows(detail.attachments),
    }


def _rows(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else [_plain(r) for r in frame.to_dicts()]


if __name__ == "__main__":
    sys.exit(main())
