"""The incident rerun: reconcile again over an outage window, tag and report its findings.

Pulls the landing folder of every business date that the window ± margin touches into one run
folder (`ledger_<date>.csv`, ...), runs the library's steps, keeps only findings whose
`event_at` falls inside the window ± margin (healing only there), tags them with the incident
in the exception store, and writes the incident impact report beside the usual outputs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.states import State

from flows.artifacts import announce, artifact_key
from flows.nightly import flow_outcome
from flows.reconcile import PullPolicy, new_run, reconcile
from flows.steps import STEP, RunFolder
from recon.config import Config, load_config, parse_timestamp
from recon.exit_codes import ExitCode
from recon.incident.impact import HTML_NAME, IncidentWindow, write_incident_impact
from recon.incident.window import DEFAULT_MARGIN_MINUTES
from recon.landing import Landing, dates_touched, landing_location
from recon.pipeline import RunResult, new_run_id


def incident_window(
    incident_id: str, start: datetime | str, end: datetime | str, margin: int, config: Config
) -> IncidentWindow:
    """The window as given; a start or end without offset is in the configured time zone."""
    return IncidentWindow(
        incident_id,
        parse_timestamp(start, config.timezone),
        parse_timestamp(end, config.timezone),
        margin,
    )


def window_landings(config: Config, window: IncidentWindow) -> list[Landing]:
    """One landing folder per business date the window ± margin touches, tagged with the date."""
    days = dates_touched(window.from_at, window.to_at, config.timezone)
    landings: dict[str, Landing] = {}
    for day in days:
        location = landing_location(config.landing, day)
        landings.setdefault(location, Landing(location, day.isoformat()))
    if len(landings) == 1:  # one folder: keep its own file names
        return [Landing(next(iter(landings)))]
    return list(landings.values())


@task(name="write incident impact report", **STEP)
def impact(config: Config, window: IncidentWindow, result: RunResult) -> dict[str, Path]:
    return write_incident_impact(
        Path(config.store),
        window,
        result.run_id,
        result.out_dir,
        datetime.now(UTC),
        mask=config.privacy.mask,
    )


@flow(name="recon-incident-rerun", flow_run_name="incident-{incident_id}")
def incident_rerun(
    incident_id: str,
    start: datetime,
    end: datetime,
    margin_minutes: int = DEFAULT_MARGIN_MINUTES,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
    runs_dir: str = "runs",
    pull_deadline_seconds: float = 0,
    pull_retry_seconds: float = 60,
) -> dict[str, Any] | State:
    """Rerun over `start`..`end` ± `margin_minutes` and report the incident's impact.

    On demand, the extracts are expected to be there already: by default the pull is tried
    once and a missing folder fails the run at once, naming it.
    """
    config = load_config(config_path, **dict(overrides or {}))
    window = incident_window(incident_id, start, end, margin_minutes, config)
    run_id = new_run_id()
    folder = RunFolder(Path(runs_dir) / run_id)
    run = new_run(config, run_id, folder, f"incident {incident_id}", incident_id=incident_id)
    result = reconcile(
        config,
        folder,
        run,
        window_landings(config, window),
        PullPolicy(pull_deadline_seconds, pull_retry_seconds),
        window=(window.from_at, window.to_at),
    )
    title = f"Incident {incident_id} rerun"
    key = artifact_key("incident", incident_id)
    if result.exit_code != ExitCode.FAILED:
        report = impact(config, window, result)
        result = RunResult(
            result.run_id,
            result.exit_code,
            result.out_dir,
            result.summary,
            {**result.outputs, **report},
        )
    announce(config, folder, result, title, key)
    outcome = flow_outcome(result)
    if isinstance(outcome, dict):
        outcome["impact_report"] = str(result.outputs.get(HTML_NAME, ""))
    return outcome
