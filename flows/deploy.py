"""The two deployments: nightly on a cron schedule in the configured zone, incident on demand.

`build_deployments` describes them; `apply_deployments` registers them with the Prefect server
(runs then wait for a serve process); `serve_deployments` registers them and executes their
runs in this process until stopped, which is what `recon deploy --serve` leaves running.
"""

from __future__ import annotations

from typing import Any

from prefect import serve
from prefect.client.orchestration import get_client
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.incident_rerun import incident_rerun
from flows.nightly import nightly
from recon.errors import TransientError


class PrefectServerUnavailable(TransientError):
    """`recon deploy` needs a running Prefect server to register the deployments with."""


NIGHTLY = "nightly"
INCIDENT = "incident-rerun"


def build_deployments(
    *,
    timezone: str,
    config_path: str | None,
    overrides: dict[str, Any],
    runs_dir: str,
    cron: str,
) -> list[RunnerDeployment]:
    """Both deployments with the run's settings as default parameters.

    Paths must be absolute: the runs execute in the serve process, wherever it was started.
    The flows are found by module path (`flows.nightly.nightly`), not by file path.
    """
    common = {"config_path": config_path, "overrides": overrides, "runs_dir": runs_dir}
    return [
        nightly.to_deployment(
            name=NIGHTLY,
            schedule=Cron(cron, timezone=timezone),
            parameters=common,
            description=f"Reconcile yesterday's extracts every day at {cron} ({timezone}).",
            tags=["recon"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        incident_rerun.to_deployment(
            name=INCIDENT,
            parameters=common,
            description="Rerun over an outage window; needs incident_id, start and end.",
            tags=["recon"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    ]


def check_server(api_url: str) -> None:
    """Fail early and plainly when no Prefect server answers at `api_url`."""
    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise PrefectServerUnavailable(
            f"no Prefect server answers at {api_url} ({error}); start one with"
            " `prefect server start` or set PREFECT_API_URL"
        )


def apply_deployments(deployments: list[RunnerDeployment], api_url: str) -> list[str]:
    """Register the deployments; one line per deployment saying what was created."""
    lines = []
    for deployment in deployments:
        deployment_id = deployment.apply()
        schedule = (
            ", ".join(f"cron {s.schedule.cron} {s.schedule.timezone}" for s in deployment.schedules)
            or "on demand"
        )
        lines.append(
            f"deployment {deployment.flow_name}/{deployment.name} ({schedule}) id {deployment_id}"
            f" at {api_url}"
        )
    return lines


def serve_deployments(deployments: list[RunnerDeployment]) -> None:
    """Register and execute the deployments' runs here until interrupted."""
    serve(*deployments)
