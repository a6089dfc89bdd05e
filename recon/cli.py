"""The `recon` command: a thin skin over `recon.pipeline` and the store's analyst commands."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recon import __version__
from recon.config import Config, load_config
from recon.errors import ReconError, one_line
from recon.exit_codes import ExitCode
from recon.model import StoreOutcome


@dataclass(frozen=True)
class ConfigOption:
    """A command-line option that overrides one config key (CLI options win over the file)."""

    flag: str
    key: str
    type: Any
    help: str


CONFIG_OPTIONS = (
    ConfigOption(
        "--cutoff",
        "cutoff",
        str,
        "ISO 8601 cutoff; default: config, else latest timestamp in the extracts",
    ),
    ConfigOption(
        "--timezone", "timezone", str, "time zone of timestamps without offset (default UTC)"
    ),
    ConfigOption(
        "--encoding", "encoding", str, "CSV encoding of every source, e.g. gb18030 (default utf-8)"
    ),
    ConfigOption(
        "--thousands-separator",
        "thousands_separator",
        str,
        "thousands separator in amounts, e.g. ','",
    ),
    ConfigOption(
        "--delimiter",
        "delimiter",
        str,
        "CSV delimiter of every source, e.g. ';' (default: taken from each header line)",
    ),
    ConfigOption(
        "--grace-minutes",
        "grace_minutes",
        int,
        "transfers that started this close to the cutoff are in flight (30)",
    ),
    ConfigOption(
        "--pending-sla-minutes",
        "pending_sla_minutes",
        int,
        "PENDING legs older than this are stuck (30)",
    ),
    ConfigOption(
        "--duplicate-window-minutes",
        "duplicate_window_minutes",
        int,
        "window for suspected retries (10)",
    ),
    ConfigOption(
        "--max-bad-ratio",
        "max_bad_ratio",
        str,
        "stop when more than this share of a source is quarantined (0.01)",
    ),
    ConfigOption("--annual-rate", "annual_rate", str, "interest rate for compensation (0.05)"),
    ConfigOption(
        "--max-future-hours",
        "max_future_hours",
        int,
        "a timestamp this long after the cutoff (or now) is a bad value (72)",
    ),
    ConfigOption(
        "--min-date", "min_date", str, "a timestamp before this date is a bad value (2000-01-01)"
    ),
    ConfigOption(
        "--memory-limit",
        "memory_limit",
        str,
        "DuckDB memory limit, e.g. 2GB; beyond it, DuckDB spills to disk",
    ),
    ConfigOption("--threads", "threads", int, "DuckDB threads (default: all cores)"),
    ConfigOption(
        "--working-db",
        "working_db",
        str,
        "where the working tables live: memory, disk (a compressed file in the spill folder)"
        " or auto (default: disk when the extracts would take over twice the memory limit)",
    ),
    ConfigOption(
        "--buckets",
        "buckets",
        int,
        "check the transfers in this many buckets, one at a time or on a cluster (default:"
        " 1 in one process; on a cluster, enough for each worker's memory, at least 2 each)",
    ),
    ConfigOption(
        "--cluster",
        "cluster",
        str,
        "run the buckets on a Dask cluster: local, local:N (N workers here) or"
        " tcp://scheduler:8786 (docs/scale.md)",
    ),
    ConfigOption(
        "--cluster-storage",
        "cluster_storage",
        str,
        "a folder every cluster worker sees, for the buckets' files (default: a temporary"
        " folder here, enough for local clusters)",
    ),
    ConfigOption(
        "--store",
        "store",
        str,
        "the exception store: a DuckDB file (default recon.duckdb) or"
        " postgresql://user@host:port/db, never with a password",
    ),
    ConfigOption(
        "--password-file",
        "password_file",
        str,
        "a PostgreSQL store's password: the first line of this file (else PGPASSWORD, ~/.pgpass)",
    ),
)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """`--config` plus every override in CONFIG_OPTIONS; shared by run, nightly and incident."""
    parser.add_argument(
        "--config", type=Path, help="recon.toml (every key optional; options here win)"
    )
    group = parser.add_argument_group("config overrides")
    for opt in CONFIG_OPTIONS:
        group.add_argument(opt.flag, dest=opt.key, type=opt.type, default=None, help=opt.help)


def config_from_args(args: argparse.Namespace) -> Config:
    return load_config(args.config, **{opt.key: getattr(args, opt.key) for opt in CONFIG_OPTIONS})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recon",
        description="Put the books straight after an outage: find half-completed transfers, "
        "duplicate debits, gateway and invoice breaks; propose corrections and compensation.",
        epilog="Exit codes: 0 no open findings, 1 findings, 2 could not reconcile.",
    )
    parser.add_argument("--version", action="version", version=f"recon {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        help="reconcile one folder of extracts",
        description="Read ledger, channel, gateway (and invoices) extracts from --data-dir, "
        "find the breaks, update the exception store and write the outputs into --out.",
        epilog="Exit codes: 0 no open findings, 1 findings, 2 could not reconcile.",
    )
    run.add_argument("--data-dir", type=Path, required=True, help="folder holding the extracts")
    run.add_argument(
        "--out", type=Path, required=True, help="folder for exceptions.csv, report.html, ..."
    )
    run.add_argument(
        "--actor",
        help="who runs it, recorded in the store beside the OS user (default: the OS user)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress display")
    run.add_argument("--debug", action="store_true", help="on a failure, also print the traceback")
    add_config_options(run)
    run.set_defaults(handler=_run)

    for register in _command_groups():
        register(commands)
    return parser


def _command_groups() -> list[Any]:
    """The other command groups, each registered by the module that owns it."""
    from recon.ingest.formats.cli import register as formats
    from recon.sample.cli import register as generate
    from recon.store.audit_cli import register as audit
    from recon.store.commands import register as exceptions
    from recon.store.proposals_cli import register as proposals
    from recon.store.store_cli import register as store
    from recon.store.users_cli import register as users
    from recon.web.cli import register as serve

    groups = [exceptions, proposals, users, audit, store, generate, serve, formats]
    try:
        from flows.cli import register as flows
    except ModuleNotFoundError as err:  # flows/ ships beside recon/; absent in a bare install
        if err.name not in {"flows", "flows.cli"}:
            raise
    else:
        groups.append(flows)
    return groups


def _run(args: argparse.Namespace) -> int:
    from recon.pipeline import run_reconciliation
    from recon.progress import progress_display

    if args.debug:  # the pipeline logs a crash's traceback at DEBUG
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    config = config_from_args(args)
    if not args.data_dir.is_dir():
        raise ReconError(f"--data-dir {args.data_dir} is not a folder")
    executor, workers = _cluster(config.cluster, debug=args.debug)
    with progress_display(enabled=not args.quiet) as say:
        result = run_reconciliation(
            args.data_dir,
            args.out,
            config,
            store_path=Path(config.store),
            actor=_actor(args.actor),
            progress=say,
            executor=executor,
            workers=workers,
        )
    if result.error:
        print(
            f"recon: could not reconcile: {one_line(result.error)}"
            f" (details in {result.out_dir / 'summary.json'})",
            file=sys.stderr,
        )
    else:
        print(
            f"run {result.run_id}: {_outcome_line(result.summary.outcome)}; outputs in {args.out}"
        )
    return int(result.exit_code)


def _cluster(value: str | None, *, debug: bool) -> tuple[Any, int]:
    """The executor that runs the buckets on `value`'s Dask cluster (None: in this process)."""
    if value is None:
        return None, 1
    from flows.prefect_settings import apply_prefect_settings

    apply_prefect_settings(quiet_console=not debug)  # before Prefect is imported
    from flows.cluster import cluster_executor

    return cluster_executor(value)


def _actor(given: str | None) -> str:
    """`--actor` checked (one printable line), or the OS user when none is given."""
    from recon.store.actor import check_actor, default_actor

    return default_actor() if given is None else check_actor(given)


def _outcome_line(outcome: StoreOutcome | None) -> str:
    if outcome is None:
        return "no findings recorded"
    return (
        f"{outcome.open_total} open findings ({len(outcome.new)} new,"
        f" {len(outcome.reopened)} reopened, {len(outcome.healed)} healed)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a reader gone away (`| head -1`) shows here, not at exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except ReconError as err:
        return _failed(args, str(err))
    except KeyboardInterrupt:
        print("recon: interrupted", file=sys.stderr)
        return int(ExitCode.FAILED)
    except Exception as err:  # a crash, recon's or Prefect's: still one line and exit 2
        offer = hasattr(args, "debug") and not args.debug
        hint = " (--debug shows the traceback)" if offer else ""
        return _failed(args, f"internal error: {type(err).__name__}: {one_line(err)}{hint}")


def _reader_gone() -> int:
    """stdout's reader stopped reading (`recon exceptions list | head -1`): stop quietly, with
    the status of a command ended by SIGPIPE (141), and no traceback at exit either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured): nothing to do
        pass
    return 128 + int(signal.SIGPIPE)


def _failed(args: argparse.Namespace, message: str) -> int:
    """Report a failure as `recon: <one line>` (after the traceback with --debug); exit 2."""
    if getattr(args, "debug", False):
        traceback.print_exc()
    print(f"recon: {one_line(message)}", file=sys.stderr)
    return int(ExitCode.FAILED)


if __name__ == "__main__":
    sys.exit(main())
