"""`recon corrections ...`, `recon compensation ...` and `recon alerts ...`: maker-checker
from the command line, over the same library functions as the web app
(`recon.store.proposals`).

The two proposal groups are one implementation with the kind as a parameter. Every refusal
(the maker-checker rule, a stale version, an illegal transition, a busy store) is one line
on stderr and exit code 2. `print_remedies` / `remedies_json` are what `recon exceptions
show` adds about one exception: the runs' suggestions, the proposals and the alerts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recon.config import ApprovalPolicy, load_config, parse_timestamp
from recon.errors import ReconError
from recon.exit_codes import ExitCode
from recon.safety import terminal_text
from recon.store.actor import USER_ENV, check_actor, cli_actor
from recon.store.lock import DEFAULT_WAIT_SECONDS

if TYPE_CHECKING:  # imported by the handlers that use them: building the parser stays cheap
    from rich.console import Console
    from rich.text import Text

    from recon.store.proposals import Proposal

Handler = Callable[[argparse.Namespace], int]

# the command group -> the kind of proposal it works on
GROUPS = {"corrections": "CORRECTION", "compensation": "COMPENSATION"}
STATES = ("PROPOSED", "APPROVED", "REJECTED", "POSTED")

PROPOSAL_COLUMNS = (
    "proposal_id",
    "exception_id",
    "state",
    "amount",
    "currency",
    "proposed_by",
    "proposed_at",
    "decided_by",
    "decided_at",
    "posting_ref",
    "unposted_hours",
    "version",
    "suggestion_id",
)
SHOW_PROPOSAL_COLUMNS = (
    "proposal_id",
    "kind",
    "state",
    "amount",
    "currency",
    "proposed_by",
    "decided_by",
    "posting_ref",
    "unposted_hours",
    "version",
)
SUGGESTION_COLUMNS = (
    "suggestion_id",
    "kind",
    "alternative",
    "amount",
    "currency",
    "customer_id",
    "what",
    "revision",
    "updated_run",
    "last_run",
)
ALERT_COLUMNS = (
    "exception_id",
    "kind",
    "raised_at",
    "run_id",
    "resolved_by",
    "txn_ref",
    "amount",
    "currency",
    "status",
    "active",
    "acknowledged_by",
    "acknowledge_note",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `corrections`, `compensation` (one implementation, the kind as a parameter) and
    `alerts` to the `recon` parser."""
    for group, kind in GROUPS.items():
        _register_kind(subparsers, group, kind)
    _register_alerts(subparsers)
    _register_limit(subparsers)


def main(argv: Sequence[str] | None = None) -> int:
    """Run these groups alone, as `recon` would (argv without the program name)."""
    parser = argparse.ArgumentParser(prog="recon", description="recon maker-checker commands")
    register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def _register_kind(subparsers: argparse._SubParsersAction, group: str, kind: str) -> None:
    noun = kind.lower()
    parser = subparsers.add_parser(
        group,
        help=f"propose, approve, reject and post {noun}s (maker-checker)",
        description=f"Work the proposed {noun}s: an analyst proposes one (a run's suggestion,"
        " or one written by hand), someone else approves or rejects it, and the analyst"
        " records the posting reference once it is posted. PROPOSED -> APPROVED | REJECTED,"
        " APPROVED -> POSTED. The approver may be neither the proposer nor whoever resolved"
        " the exception; above the approval limit (`recon approvals`) only an admin may"
        " decide.",
    )
    commands = parser.add_subparsers(dest="proposal_command", metavar="COMMAND", required=True)

    listing = commands.add_parser(
        "list",
        help=f"the {noun} proposals, oldest first (default: PROPOSED and APPROVED)",
        description=f"List {noun} proposals with their state, who proposed and decided them,"
        " the posting reference, and how long an approved one has waited to be posted.",
    )
    listing.add_argument(
        "--state",
        action="append",
        default=[],
        type=str.upper,
        choices=(*STATES, "ALL"),
        help="state (repeatable; ALL for every state; default PROPOSED and APPROVED)",
    )
    listing.add_argument("--exception", metavar="ID", help="only those of this exception")
    listing.add_argument(
        "--unposted-older-than",
        type=Decimal,
        metavar="HOURS",
        help="only APPROVED ones approved at least this many hours ago and not yet posted",
    )
    listing.add_argument(
        "--as-of", metavar="TIMESTAMP", help="age them as of this ISO 8601 time (default now)"
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    _common(listing)
    listing.set_defaults(handler=_guard(_list), kind=kind)

    proposing = commands.add_parser(
        "propose",
        help=f"propose a {noun} for an exception",
        description=f"Propose a {noun} for an exception: the run's suggestion (--suggestion,"
        " or the only one; `recon exceptions show` lists them) or one written by hand"
        " (--detail). One proposal per exception and kind may wait for a decision or a"
        " posting at a time.",
    )
    proposing.add_argument("exception_id", metavar="ID", help="the exception id")
    proposing.add_argument("--suggestion", metavar="SUGGESTION_ID", help="the run's suggestion")
    proposing.add_argument(
        "--detail",
        metavar="JSON",
        help='written by hand: a correction {"currency": "CNY", "legs": [{"direction": "D",'
        ' "account_id": "...", "amount": "10.00"}, ...]} (debits = credits); a compensation'
        ' {"customer_id": "...", "amount": "1.20", "currency": "CNY", "basis": "..."}',
    )
    _common(proposing)
    proposing.set_defaults(handler=_guard(_propose), kind=kind)

    for verb, what in (("approve", "approve"), ("reject", "reject")):
        deciding = commands.add_parser(
            verb,
            help=f"{what} a PROPOSED {noun}",
            description=f"{what.capitalize()} a PROPOSED {noun}. Refused (exit 2) when you"
            " proposed it, resolved its exception, lack the role, or it is above the"
            " approval limit (the store's, `recon approvals show`, or a lower [approvals]"
            " admin_above in --config) and you are not an admin.",
        )
        deciding.add_argument("proposal_id", metavar="PROPOSAL_ID", help="e.g. P-000012")
        deciding.add_argument(
            "--note", required=verb == "reject", help="why (kept in the audit log)"
        )
        _expected_version(deciding)
        _common(deciding)
        deciding.set_defaults(handler=_guard(_decide), kind=kind, verb=verb)

    posting = commands.add_parser(
        "post",
        help=f"record that an APPROVED {noun} was posted",
        description=f"Record the posting reference of an APPROVED {noun} (recon never posts:"
        " this records where the entries or the payment were made).",
    )
    posting.add_argument("proposal_id", metavar="PROPOSAL_ID", help="e.g. P-000012")
    posting.add_argument("--ref", required=True, help="the posting reference")
    _expected_version(posting)
    _common(posting)
    posting.set_defaults(handler=_guard(_post), kind=kind)


def _register_alerts(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="DOUBLE_CREDIT_RISK alerts: list them, acknowledge one",
        description="A run raises DOUBLE_CREDIT_RISK when an exception resolved CORRECTED (by"
        " hand) completes on its own: the money may have moved twice. The alert stays until"
        " an analyst acknowledges it with a note.",
    )
    commands = parser.add_subparsers(dest="proposal_command", metavar="COMMAND", required=True)
    listing = commands.add_parser(
        "list", help="the alerts not acknowledged yet (--all: every alert)"
    )
    listing.add_argument("--all", action="store_true", help="acknowledged ones too")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    _common(listing)
    listing.set_defaults(handler=_guard(_alerts))
    acking = commands.add_parser(
        "ack",
        help="acknowledge an exception's alert with a note",
        description="Take an alert off the queue, saying what was checked or done (the extra"
        " credit reversed, or why there was none). The exception's status does not change.",
    )
    acking.add_argument("exception_id", metavar="ID", help="the exception id")
    acking.add_argument("--note", required=True, help="what was checked or done")
    _common(acking)
    acking.set_defaults(handler=_guard(_acknowledge))


def _register_limit(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "approvals",
        help="the store's approval limit: above it only an admin decides",
        description="The amount above which only an admin approves or rejects a correction"
        " or compensation. It is kept in the store, so the web app and every command apply"
        " it whatever config they were given; a config's [approvals] admin_above applies"
        " too, and the lower limit wins.",
    )
    commands = parser.add_subparsers(dest="proposal_command", metavar="COMMAND", required=True)
    showing = commands.add_parser("show", help="the store's approval limit")
    _common(showing)
    showing.set_defaults(handler=_guard(_show_limit))
    setting = commands.add_parser(
        "set",
        help="set the limit (an admin's act, recorded in the audit log)",
        description="Set the store's approval limit: an amount such as 50000.00 (strictly"
        " above it only an admin decides), or `none` to let any approver decide any amount.",
    )
    setting.add_argument("admin_above", metavar="AMOUNT|none", help="e.g. 50000.00, or none")
    _common(setting)
    setting.set_defaults(handler=_guard(_set_limit))


def _show_limit(args: argparse.Namespace) -> int:
    from recon.store.approval_limit import approval_limit, stricter

    stored = approval_limit(args.store, wait_seconds=args.wait).admin_above
    print(terminal_text(_limit_text("the store's approval limit", stored)))
    if args.config:
        applied = stricter(_thresholds(args), ApprovalPolicy(stored)).admin_above
        print(terminal_text(_limit_text(f"with {args.config}", applied)))
    return int(ExitCode.CLEAN)


def _set_limit(args: argparse.Namespace) -> int:
    from recon.store.approval_limit import set_approval_limit

    value = None if args.admin_above.strip().lower() == "none" else args.admin_above
    limit = set_approval_limit(args.store, value, actor=args.actor, wait_seconds=args.wait)
    print(terminal_text(_limit_text("the store's approval limit is now", limit.admin_above)))
    return int(ExitCode.CLEAN)


def _limit_text(what: str, limit: Decimal | None) -> str:
    if limit is None:
        return f"{what}: none (any approver decides any amount)"
    return f"{what}: {limit} (above it only an admin approves or rejects)"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default="recon.duckdb", help="exception store file (default: recon.duckdb)"
    )
    parser.add_argument(
        "--actor",
        default=cli_actor(),
        help=f"who is acting, recorded with every change (default: ${USER_ENV}, else your OS"
        " user name); on a store with users, an enabled user whose role allows it",
    )
    parser.add_argument(
        "--config",
        metavar="TOML",
        help="recon.toml whose [approvals] admin_above may lower the store's approval limit",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help=f"how long to wait for a run holding the store (default {DEFAULT_WAIT_SECONDS:g})",
    )


def _expected_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expected-version",
        type=int,
        metavar="N",
        help="refuse if the proposal is no longer at this version (see `list`)",
    )


def _guard(handler: Handler) -> Handler:
    """recon's errors as one line on stderr, exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            check_actor(args.actor)  # one printable line, or refused before anything is read
            return handler(args)
        except ReconError as err:
            where = f"recon {args.command} {args.proposal_command}"
            print(terminal_text(f"{where}: {err}"), file=sys.stderr)
            return int(ExitCode.FAILED)

    run.__doc__ = handler.__doc__
    return run


def _thresholds(args: argparse.Namespace) -> ApprovalPolicy:
    return load_config(args.config).approvals if args.config else ApprovalPolicy()


def _list(args: argparse.Namespace) -> int:
    from recon.store.proposals import list_proposals

    states: tuple[str, ...] = tuple(args.state) or ("PROPOSED", "APPROVED")
    as_of = parse_timestamp(args.as_of) if args.as_of else datetime.now(UTC)
    found = list_proposals(
        args.store,
        states=() if "ALL" in states else states,
        kind=args.kind,
        exception_id=args.exception,
        unposted_older_than_hours=args.unposted_older_than,
        as_of=as_of,
        wait_seconds=args.wait,
    )
    rows = [_proposal_row(p, as_of) for p in found]
    if args.format == "json":
        print(json.dumps([{**_plain(r), "detail": _plain_any(p.detail)}
                          for r, p in zip(rows, found, strict=True)], indent=2))  # fmt: skip
    else:
        noun = args.kind.lower()
        _print_rows(rows, PROPOSAL_COLUMNS, title=f"{len(rows)} {noun} proposal(s)")
    return int(ExitCode.CLEAN)


def _propose(args: argparse.Namespace) -> int:
    from recon.store.proposals import propose

    detail = None
    if args.detail is not None:
        try:
            detail = json.loads(args.detail, parse_float=Decimal)
        except ValueError as err:
            raise ReconError(f"--detail is not JSON: {err}") from None
    done = propose(
        args.store,
        args.exception_id,
        args.kind,
        args.suggestion,
        detail,
        actor=args.actor,
        wait_seconds=args.wait,
    )
    return _done(done, f"proposed by {done.proposed_by}")


def _decide(args: argparse.Namespace) -> int:
    from recon.store.proposals import approve, reject

    decide = approve if args.verb == "approve" else reject
    done = decide(
        args.store,
        args.proposal_id,
        actor=args.actor,
        note=args.note,
        expected_version=args.expected_version,
        thresholds=_thresholds(args),
        kind=args.kind,
        wait_seconds=args.wait,
    )
    return _done(done, f"{done.state.lower()} by {done.decided_by}")


def _post(args: argparse.Namespace) -> int:
    from recon.store.proposals import post

    done = post(
        args.store,
        args.proposal_id,
        actor=args.actor,
        posting_ref=args.ref,
        expected_version=args.expected_version,
        kind=args.kind,
        wait_seconds=args.wait,
    )
    return _done(done, f"posted as {done.posting_ref} by {done.posted_by}")


def _alerts(args: argparse.Namespace) -> int:
    from recon.store.proposals import alerts

    found = alerts(args.store, active_only=not args.all, wait_seconds=args.wait)
    if args.format == "json":
        print(json.dumps([_plain(a) for a in found], indent=2))
    else:
        title = f"{len(found)} alert(s)" + ("" if args.all else " to check")
        _print_rows(found, ALERT_COLUMNS, title=title)
    return int(ExitCode.CLEAN)


def _acknowledge(args: argparse.Namespace) -> int:
    from recon.store.proposals import acknowledge_alert

    done = acknowledge_alert(
        args.store, args.exception_id, actor=args.actor, note=args.note, wait_seconds=args.wait
    )
    print(
        terminal_text(
            f"{done['exception_id']}: {done['kind']} acknowledged by {done['acknowledged_by']}"
            f" ({done['acknowledge_note']})"
        )
    )
    return int(ExitCode.CLEAN)


def _done(done: Proposal, what: str) -> int:
    print(
        terminal_text(
            f"{done.proposal_id}: {done.kind.lower()} {done.amount} {done.currency} for"
            f" {done.exception_id} {done.state}, {what} (version {done.version})"
        )
    )
    return int(ExitCode.CLEAN)


# --- `recon exceptions show` ----------------------------------------------------------


def print_remedies(
    console: Console, store_path: str | Path, exception_id: str, *, wait_seconds: float
) -> None:
    """Print what `show` adds about one exception: the runs' suggestions, its proposals and
    its alerts (each table only when there is something to show)."""
    found = remedies_json(store_path, exception_id, wait_seconds=wait_seconds, plain=False)
    if found["suggestions"]:
        rows = [{**s, "what": _what(s)} for s in found["suggestions"]]
        _print_rows(rows, SUGGESTION_COLUMNS, title="suggested by the runs", console=console)
    if found["proposals"]:
        _print_rows(found["proposals"], SHOW_PROPOSAL_COLUMNS, title="proposals", console=console)
    if found["alerts"]:
        _print_rows(found["alerts"], ALERT_COLUMNS, title="alerts", console=console)


def remedies_json(
    store_path: str | Path, exception_id: str, *, wait_seconds: float, plain: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """The suggestions, proposals and alerts of one exception (JSON-safe when `plain`)."""
    from recon.store.proposals import remedies_of

    now = datetime.now(UTC)
    found = remedies_of(store_path, exception_id, wait_seconds=wait_seconds)
    found["proposals"] = [
        {**_proposal_row(p, now), "kind": p.kind, "detail": p.detail} for p in found["proposals"]
    ]
    if not plain:
        return found
    return {name: [_plain_any(r) for r in rows] for name, rows in found.items()}


def print_alerts_line(store_path: str | Path, *, wait_seconds: float) -> None:
    """Under the queue: the alerts still to check, which flag exceptions a run may not
    reopen (an analyst's resolution stands), so the queue's rows alone would not show them."""
    from recon.store.proposals import alerts

    found = alerts(store_path, active_only=True, wait_seconds=wait_seconds)
    if found:
        ids = ", ".join(a["exception_id"] for a in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        print(
            terminal_text(
                f"{len(found)} DOUBLE_CREDIT_RISK alert(s) to check: {ids}{more}"
                " (`recon alerts list`)"
            )
        )


# --- printing ----------------------------------------------------------------------------


def _proposal_row(p: Proposal, as_of: datetime) -> dict[str, Any]:
    return {name: getattr(p, name, None) for name in PROPOSAL_COLUMNS} | {
        "unposted_hours": p.unposted_hours(as_of)
    }


def _what(suggestion: dict[str, Any]) -> str:
    """One line of a suggestion: its legs, or its basis."""
    detail = suggestion.get("detail") or {}
    legs = detail.get("legs")
    if legs:
        return "; ".join(f"{leg['direction']} {leg['account_id']} {leg['amount']}" for leg in legs)
    return str(detail.get("basis", ""))


def _print_rows(
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str,
    console: Console | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(file=sys.stdout, width=max(200, Console().width))
    table = Table(title=_text(title))
    for name in columns:
        table.add_column(_text(name), overflow="fold")
    for row in rows:
        table.add_row(*(_text(row.get(name)) for name in columns))
    console.print(table)


def _text(value: Any) -> Text:
    """A value as rich `Text`, never markup, control and bidi characters shown."""
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, datetime):
        return Text(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ"))
    return Text(terminal_text(value))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain_any(value) for key, value in row.items()}


def _plain_any(value: Any) -> Any:
    """JSON-safe: money as exact decimal strings, times as ISO 8601, nested values too."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return _plain(value)
    if isinstance(value, list | tuple):
        return [_plain_any(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
