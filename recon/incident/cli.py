"""`recon incident notices` and `recon incident report`: after an incident's reruns, what
the bank sends its customers and its regulator (docs/incident.md).

Registered under `recon incident` beside `rerun` (flows/cli.py); neither needs Prefect. Every
failure is one line on stderr and exit code 2, with the store and the output folder as they
were.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from recon.errors import ReconError
from recon.exit_codes import ExitCode
from recon.incident.notices import CHANNELS, DEFAULT_SMS_SEGMENTS, LANGUAGES, NoticeOptions
from recon.safety import terminal_text


def register_actions(actions: Any, add_config_options: Any) -> None:
    """Add `notices` (and `notices sent`) to the `recon incident` subcommands."""
    notices = actions.add_parser(
        "notices",
        help="prepare one notice per affected customer (CSV for the sending system + text)",
        description="Render one notice per customer the incident's cases touch (what happened "
        "to which transfer, where it stands, what the bank will do, what the customer is "
        "owed) and record it in the store as PREPARED; the same notice is never prepared "
        "twice. `notices sent --receipt FILE` records the sending system's receipt (SENT).",
        epilog="Exit codes: 0 done, 2 refused (nothing changed).",
    )
    notices.add_argument("--id", dest="incident_id", help="incident id, e.g. INC-42")
    notices.add_argument("--out", type=Path, help="folder for notices.csv and notices.txt")
    notices.add_argument("--channel", choices=CHANNELS, default="sms", help="default sms")
    notices.add_argument("--language", choices=LANGUAGES, default="zh-CN", help="default zh-CN")
    notices.add_argument(
        "--resolved",
        choices=("notice", "none"),
        default="notice",
        help="customers whose cases are all closed: a 'resolved' notice (default) or none",
    )
    notices.add_argument(
        "--sms-segments",
        type=int,
        default=DEFAULT_SMS_SEGMENTS,
        metavar="N",
        help=f"longest SMS allowed, in segments (default {DEFAULT_SMS_SEGMENTS})",
    )
    _actor(notices)
    add_config_options(notices)
    notices.set_defaults(handler=_guarded(_notices))
    sent = notices.add_subparsers(dest="notices_action", metavar="ACTION").add_parser(
        "sent",
        help="record the sending system's receipt: those notices are SENT",
        description="Read a receipt CSV (notice_id; optional status, sent_at, receipt_ref) "
        "and mark its notices SENT, each an event in the audit chain. An unknown notice id "
        "refuses the whole file.",
    )
    sent.add_argument("--receipt", type=Path, required=True, help="the receipt CSV file")
    _actor(sent)
    add_config_options(sent)
    sent.set_defaults(handler=_guarded(_sent))

    report = actions.add_parser(
        "report",
        help="write the regulator's report (HTML + PDF), a new version when figures changed",
        description="From the store: the outage window (declared and observed), the scope by "
        "customer type, channel, transaction type and amount band, money held and for how "
        "long, handling day by day, compensation decided and paid, open risks; with its "
        "version number and what changed since the version before. The PDF is printed by "
        "headless Chromium.",
        epilog="Exit codes: 0 written, 2 refused (nothing changed).",
    )
    report.add_argument("--id", dest="incident_id", help="incident id, e.g. INC-42")
    report.add_argument("--out", type=Path, help="folder for regulator_report.html/.pdf/.json")
    report.add_argument("--start", help="the outage's start as the bank declares it (ISO 8601)")
    report.add_argument("--end", help="the outage's end as the bank declares it (ISO 8601)")
    report.add_argument(
        "--customer-types",
        type=Path,
        metavar="CSV",
        help="the bank's customer types: a CSV with customer_id, customer_type",
    )
    report.add_argument("--no-pdf", action="store_true", help="HTML and JSON only")
    _actor(report)
    add_config_options(report)
    report.set_defaults(handler=_guarded(_report))


def _actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", help="who does it (default: RECON_USER or the OS user)")


def _guarded(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReconError as err:
            print(f"recon: {terminal_text(str(err))}", file=sys.stderr)
            return int(ExitCode.FAILED)

    return run


def _config(args: argparse.Namespace) -> Any:
    """The configuration; its `store` is a DuckDB file or a `postgresql://` URL, both taken
    through the store's one interface (`store_change`), so it is passed on as given (a `Path`
    would fold a URL's double slash)."""
    from recon.cli import config_from_args

    return config_from_args(args)


def _who(args: argparse.Namespace) -> str:
    from recon.store.actor import cli_actor

    return args.actor if args.actor is not None else cli_actor()


def _notices(args: argparse.Namespace) -> int:
    from recon.incident.notice_store import prepare_notices

    if not args.incident_id:
        raise ReconError("recon incident notices needs --id INCIDENT_ID")
    if args.out is None:
        raise ReconError("recon incident notices needs --out FOLDER")
    config = _config(args)
    options = NoticeOptions(
        channel=args.channel,
        language=args.language,
        resolved=args.resolved == "notice",
        sms_segments=args.sms_segments,
    )
    done = prepare_notices(
        config.store,
        args.incident_id,
        args.out,
        options=options,
        timezone=config.timezone,
        privacy=config.privacy,
        actor=_who(args),
    )
    print(
        terminal_text(
            f"incident {args.incident_id}: {done.new} new notice(s), {done.unchanged} unchanged,"
            f" {done.already_sent} already sent; {done.pending} to send ({args.channel},"
            f" {args.language}) in {args.out / 'notices.csv'}"
        )
    )
    return int(ExitCode.CLEAN)


def _sent(args: argparse.Namespace) -> int:
    from recon.incident.notice_store import record_receipt

    config = _config(args)
    now, before = record_receipt(config.store, args.receipt, actor=_who(args))
    print(terminal_text(f"{now} notice(s) recorded SENT; {before} already were"))
    return int(ExitCode.CLEAN)


def _report(args: argparse.Namespace) -> int:
    from recon.config import parse_timestamp
    from recon.incident.regulator_report import write_regulator_report

    if not args.incident_id:
        raise ReconError("recon incident report needs --id INCIDENT_ID")
    if args.out is None:
        raise ReconError("recon incident report needs --out FOLDER")
    if (args.start is None) != (args.end is None):
        raise ReconError("give the declared outage window whole: --start and --end")
    config = _config(args)
    declared = None
    if args.start is not None:
        start = parse_timestamp(args.start, config.timezone)
        end = parse_timestamp(args.end, config.timezone)
        if end < start:
            raise ReconError(f"--end {args.end} is before --start {args.start}")
        declared = {"start": start.isoformat(), "end": end.isoformat()}
    done = write_regulator_report(
        config.store,
        args.incident_id,
        args.out,
        timezone=config.timezone,
        actor=_who(args),
        declared=declared,
        customer_types=args.customer_types,
        pdf=not args.no_pdf,
    )
    state = "a new version" if done.new else "unchanged"
    print(
        terminal_text(
            f"incident {args.incident_id}: regulator's report version {done.version} ({state},"
            f" {done.changes} figure(s) changed since the version before) in {args.out}"
        )
    )
    return int(ExitCode.CLEAN)
