"""`recon nightly`, `recon incident` and `recon deploy`: the Prefect flows from the command line.

Prefect is imported inside the handlers only: importing it takes seconds, and `recon run` and
`recon --help` must not pay for it. Every command takes `--config` and the same overrides as
`recon run`, and runs the same library steps; exit codes as `recon run` (0/1/2).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flows.prefect_settings import apply_prefect_settings
from recon.cli import CONFIG_OPTIONS, add_config_options, config_from_args
from recon.config import parse_timestamp
from recon.errors import ConfigError, ReconError, TransientError, one_line
from recon.exit_codes import ExitCode
from recon.incident.cli import register_actions
from recon.incident.window import DEFAULT_MARGIN_MINUTES
from recon.store.location import looks_like_url

DEFAULT_API_URL = "http://127.0.0.1:4200/api"
NIGHTLY_CRON = "0 2 * * *"


def register(commands: Any) -> None:
    """Add the three flow commands to `recon`'s subcommands."""
    nightly = commands.add_parser(
        "nightly",
        help="run the nightly flow once (pull, reconcile, store, publish)",
        description="Reconcile one business date from the configured landing location as a "
        "Prefect flow: pull the extracts (retrying until pull_deadline_minutes), validate, "
        "find breaks, keep them in the store, publish, and show artifacts in Prefect.",
        epilog="Exit codes: 0 no open findings, 1 findings, 2 could not reconcile.",
    )
    nightly.add_argument(
        "--date",
        type=_date,
        help="business date YYYY-MM-DD (default: yesterday in the configured time zone)",
    )
    _runs_dir(nightly)
    _debug(nightly)
    add_config_options(nightly)
    nightly.set_defaults(handler=run_nightly)

    incident = commands.add_parser(
        "incident",
        help="after an outage: rerun over its window, customers' notices, regulator's report",
        description="`recon incident rerun` (or, as before, `recon incident --id --start "
        "--end`): pull every business date the window ± margin touches, reconcile, keep only "
        "findings inside the window, tag them with the incident in the store and write "
        "incident_impact.html/.json. `recon incident notices`: one notice per affected "
        "customer. `recon incident report`: the regulator's report.",
        epilog="Exit codes: 0 no open findings, 1 findings, 2 could not reconcile.",
    )
    _rerun_arguments(incident, required=False)
    actions = incident.add_subparsers(dest="incident_action", metavar="ACTION")
    rerun = actions.add_parser(
        "rerun",
        help="rerun over an outage window and write the incident impact report",
        description="Pull every business date the window ± margin touches, reconcile, keep "
        "only findings inside the window, tag them with the incident in the store and write "
        "incident_impact.html/.json.",
        epilog="Exit codes: 0 no open findings, 1 findings, 2 could not reconcile.",
    )
    _rerun_arguments(rerun, required=True)
    register_actions(actions, add_config_options)

    deploy = commands.add_parser(
        "deploy",
        help="create the Prefect deployments (nightly at 02:00, incident rerun on demand)",
        description="Register the nightly deployment (cron 0 2 * * * in the configured time "
        "zone) and the incident-rerun deployment (on demand) with a Prefect server "
        f"(PREFECT_API_URL, default {DEFAULT_API_URL}). With --serve, stay running and execute "
        "their runs.",
    )
    deploy.add_argument(
        "--serve",
        action="store_true",
        help="keep running and execute scheduled and triggered runs (Ctrl-C stops)",
    )
    _runs_dir(deploy)
    _debug(deploy)
    add_config_options(deploy)
    deploy.set_defaults(handler=run_deploy)


def _rerun_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """The rerun's options: on `incident rerun`, and on `incident` itself (the form before
    the actions existed, which the flows' callers use)."""
    parser.add_argument(
        "--id", dest="incident_id", required=required, help="incident id, e.g. INC-42"
    )
    parser.add_argument(
        "--start", required=required, help="window start, ISO 8601 (no offset: configured zone)"
    )
    parser.add_argument("--end", required=required, help="window end, ISO 8601")
    parser.add_argument(
        "--margin",
        type=int,
        default=None,
        metavar="MINUTES",
        help=f"minutes added before the start and after the end (default {DEFAULT_MARGIN_MINUTES})",
    )
    _runs_dir(parser)
    _debug(parser)
    add_config_options(parser)
    parser.set_defaults(handler=run_incident)


def run_nightly(args: argparse.Namespace) -> int:
    config_from_args(args)  # a bad config fails here, before Prefect starts
    apply_prefect_settings(quiet_console=not args.debug)
    from flows.nightly import nightly

    label = args.date.isoformat() if args.date else "yesterday"
    _say(f"nightly run for {label} ({_where()})")
    state = _run_flow(
        nightly,
        business_date=args.date,
        config_path=_config_path(args),
        overrides=overrides_of(args),
        runs_dir=str(args.runs_dir),
        return_state=True,
    )
    return _report(state, debug=args.debug)


def run_incident(args: argparse.Namespace) -> int:
    missing = [f for f, v in (("--id", args.incident_id), ("--start", args.start),
                              ("--end", args.end)) if not v]  # fmt: skip
    if missing:
        raise ConfigError(
            f"recon incident needs {', '.join(missing)} to rerun over a window (or an action:"
            " rerun, notices, report; see recon incident --help)"
        )
    config = config_from_args(args)
    start = _timestamp("--start", args.start, config.timezone)
    end = _timestamp("--end", args.end, config.timezone)
    if end < start:
        raise ConfigError(f"--end {args.end} is before --start {args.start}")
    margin = DEFAULT_MARGIN_MINUTES if args.margin is None else args.margin
    if margin < 0:
        raise ConfigError(f"--margin must not be negative, got {margin}")
    apply_prefect_settings(quiet_console=not args.debug)
    from flows.incident_rerun import incident_rerun

    _say(f"incident {args.incident_id} rerun over {start} .. {end} ±{margin} min ({_where()})")
    state = _run_flow(
        incident_rerun,
        incident_id=args.incident_id,
        start=start,
        end=end,
        margin_minutes=margin,
        config_path=_config_path(args),
        overrides=overrides_of(args),
        runs_dir=str(args.runs_dir),
        return_state=True,
    )
    return _report(state, debug=args.debug)


def run_deploy(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    apply_prefect_settings(quiet_console=False, api_url=DEFAULT_API_URL)
    from flows.deploy import (
        apply_deployments,
        build_deployments,
        check_server,
        serve_deployments,
    )

    deployments = build_deployments(
        timezone=config.timezone,
        config_path=_config_path(args, absolute=True),
        overrides=overrides_of(args, absolute_store=True),
        runs_dir=str(args.runs_dir.resolve()),
        cron=NIGHTLY_CRON,
    )
    api = _api_url() or DEFAULT_API_URL
    check_server(api)
    if args.serve:
        _say(f"serving {', '.join(d.name for d in deployments)} against {api} (Ctrl-C stops)")
        serve_deployments(deployments)
        return int(ExitCode.CLEAN)
    for line in apply_deployments(deployments, api):
        print(line)
    print("runs execute in a serve process: `recon deploy --serve` (same options), left running")
    return int(ExitCode.CLEAN)


def overrides_of(args: argparse.Namespace, *, absolute_store: bool = False) -> dict[str, Any]:
    """The config overrides given on the command line, as flow parameters (JSON)."""
    overrides = {
        opt.key: getattr(args, opt.key)
        for opt in CONFIG_OPTIONS
        if getattr(args, opt.key) is not None
    }
    if absolute_store and "store" in overrides and not looks_like_url(overrides["store"]):
        overrides["store"] = str(Path(overrides["store"]).resolve())  # a file; a URL stays
    return overrides


def _report(state: Any, *, debug: bool = False) -> int:
    """Print the outcome of a flow run; its exit code as `recon run`'s.

    A run that did not complete is one line on stderr and exit 2, whatever ended it (an input
    problem recon explained, or a crash: its traceback only with --debug).
    """
    if not state.is_completed():
        error = state.result(raise_on_failure=False)
        if isinstance(error, BaseException):
            if debug:
                traceback.print_exception(error)
            reason = error if isinstance(error, ReconError) else _crash(error, debug)
        else:
            reason = state.message or f"the flow run ended {state.name}"
        print(f"recon: {one_line(reason)}", file=sys.stderr)
        return int(ExitCode.FAILED)
    result = state.result()
    print(
        f"run {result['run_id']}: {result['open_total']} open findings"
        f" ({result['new']} new, {result['healed']} healed); outputs in {result['out_dir']}"
    )
    if result.get("impact_report"):
        print(f"incident impact report: {result['impact_report']}")
    return int(result["exit_code"])


def _run_flow(flow: Any, **parameters: Any) -> Any:
    """Call a flow for its final state; a temporary server that did not start says what to do."""
    try:
        return flow(**parameters)
    except RuntimeError as err:
        if "ephemeral Prefect API server" not in str(err):
            raise
        from prefect.settings import get_current_settings

        settings = get_current_settings()
        raise PrefectNotStarted(
            "the temporary Prefect server did not start within"
            f" {settings.server.ephemeral.startup_timeout_seconds} s (home {settings.home});"
            " raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or start a server"
            " (prefect server start) and set PREFECT_API_URL"
        ) from err


class PrefectNotStarted(TransientError):
    """Prefect's temporary server did not answer in time (a busy machine, a bad home)."""


def _timestamp(flag: str, text: str, timezone: str) -> datetime:
    try:
        return parse_timestamp(text, timezone)
    except ConfigError as err:
        raise ConfigError(f"{flag}: {err}") from None


def _crash(error: BaseException, debug: bool) -> str:
    hint = "" if debug else " (--debug shows the traceback)"
    return f"internal error: {type(error).__name__}: {one_line(error)}{hint}"


def _debug(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on a failure, show the traceback and Prefect's log on the terminal",
    )


def _runs_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs-dir",
        type=Path,
        default=Path("runs"),
        help="folder for run folders (pulled extracts, work.duckdb, out/); default runs",
    )


def _config_path(args: argparse.Namespace, *, absolute: bool = False) -> str | None:
    if args.config is None:
        return None
    return str(args.config.resolve() if absolute else args.config)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from err


def _api_url() -> str | None:
    """The Prefect API in use (from any of Prefect's settings sources); Prefect is imported."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def _where() -> str:
    api = _api_url()
    if api:
        return f"Prefect at {api}"
    from prefect.settings import get_current_settings

    home = get_current_settings().home
    return f"temporary Prefect server in {home}, ~15 s to start"


def _say(message: str) -> None:
    print(f"recon: {message}", file=sys.stderr)
