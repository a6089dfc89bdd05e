"""The nightly flow: reconcile one business date from the landing location.

Pull (retried while extracts are late, until the pull deadline), read and validate, find
breaks, keep them in the exception store, propose remedies, publish; then show counts, a
summary and the report link as Prefect artifacts. A run that cannot reconcile ends Failed,
after recording why (summary.json, the store's run log), so alerting on failed runs works.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.states import Failed, State

from flows.artifacts import announce
from flows.reconcile import PullPolicy, new_run, reconcile
from flows.steps import RunFolder
from recon.config import Config, load_config
from recon.exit_codes import ExitCode
from recon.landing import Landing, end_of_date, landing_location, previous_business_date
from recon.pipeline import RunResult, new_run_id

ACTOR = "nightly"


def nightly_config(config: Config, business_date: date, overrides: dict[str, Any]) -> Config:
    """The config of the nightly run for `business_date`: cutoff = end of that date.

    An explicit `--cutoff` still wins; a `cutoff` written in recon.toml does not, since a fixed
    cutoff in the file would be wrong for every other night.
    """
    if overrides.get("cutoff"):
        return config
    return replace(config, cutoff=end_of_date(business_date, config.timezone))


def flow_result(result: RunResult) -> dict[str, Any]:
    """What a flow run returns (JSON): enough for the CLI's exit code and message."""
    outcome = result.summary.outcome
    return {
        "run_id": result.run_id,
        "exit_code": int(result.exit_code),
        "out_dir": str(result.out_dir),
        "report": str(result.outputs.get("report.html", "")),
        "open_total": outcome.open_total if outcome else None,
        "new": len(outcome.new) if outcome else None,
        "healed": len(outcome.healed) if outcome else None,
        "error": result.error,
    }


def flow_outcome(result: RunResult) -> dict[str, Any] | State:
    """The flow's return: its result, or a Failed state naming why it could not reconcile.

    A Failed state (not an exception) ends the Prefect run Failed, so alerting on failed runs
    works, without a traceback for what is an input problem, already explained.
    """
    if result.exit_code == ExitCode.FAILED:
        return Failed(
            message=f"run {result.run_id} could not reconcile: {result.error}"
            f" (details in {result.out_dir / 'summary.json'})"
        )
    return flow_result(result)


def nightly_run_name() -> str:
    """`nightly-2024-03-15`, or `nightly-yesterday` when the date is left to the default."""
    from prefect.runtime import flow_run

    return f"nightly-{flow_run.parameters.get('business_date') or 'yesterday'}"


@flow(name="recon-nightly", flow_run_name=nightly_run_name)
def nightly(
    business_date: date | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
    runs_dir: str = "runs",
    pull_deadline_seconds: float | None = None,
    pull_retry_seconds: float | None = None,
) -> dict[str, Any] | State:
    """Reconcile `business_date` (default: yesterday in the configured time zone).

    `overrides` are the config keys given on the command line (`--store`, `--grace-minutes`);
    the pull deadline and retry interval default to `pull_deadline_minutes` and
    `pull_retry_seconds` from the config.
    """
    overrides = dict(overrides or {})
    base = load_config(config_path, **overrides)
    day = business_date or previous_business_date(datetime.now(UTC), base.timezone)
    config = nightly_config(base, day, overrides)
    default = PullPolicy.of(config)
    policy = PullPolicy(
        default.deadline_seconds if pull_deadline_seconds is None else pull_deadline_seconds,
        default.retry_seconds if pull_retry_seconds is None else pull_retry_seconds,
    )
    run_id = new_run_id()
    folder = RunFolder(Path(runs_dir) / run_id)
    run = new_run(config, run_id, folder, ACTOR)
    landings = [Landing(landing_location(config.landing, day))]
    result = reconcile(config, folder, run, landings, policy)
    announce(config, folder, result, f"Nightly reconciliation {day.isoformat()}", "recon-nightly")
    return flow_outcome(result)
