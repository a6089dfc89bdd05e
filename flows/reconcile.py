"""The body both flows share: pull, then the library's steps in `recon run`'s order, as tasks.

Failure handling mirrors `recon.pipeline.run_reconciliation`: a run that cannot reconcile
(extracts never delivered, a truncated file, a busy store, a crash) goes through
`pipeline.record_failure`, which writes summary.json with the reason, logs the failed run in
the store and changes no finding.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from flows import steps
from flows.steps import RunFolder
from recon import pipeline
from recon.config import Config
from recon.errors import (
    ExtractNotReadyError,
    ExtractsNotDeliveredError,
    ReconError,
    TransientError,
)
from recon.exit_codes import ExitCode
from recon.landing import Landing
from recon.model import RunInfo
from recon.store.actor import MAX_ACTOR_CHARS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullPolicy:
    """Try the pull every `retry_seconds` until `deadline_seconds` after the first attempt."""

    deadline_seconds: float
    retry_seconds: float

    @classmethod
    def of(cls, config: Config) -> PullPolicy:
        return cls(config.pull_deadline_minutes * 60.0, float(config.pull_retry_seconds))

    @property
    def retries(self) -> int:
        if self.retry_seconds <= 0:
            return 0
        return math.floor(self.deadline_seconds / self.retry_seconds)


def new_run(
    config: Config, run_id: str, folder: RunFolder, actor: str, incident_id: str | None = None
) -> RunInfo:
    """The run record before anything is read, as `run_reconciliation` starts it; recorded
    under the Prefect flow run it is part of (`actor` outside one)."""
    started = datetime.now(UTC)
    return RunInfo(
        run_id=run_id,
        started_at=started,
        cutoff=config.cutoff or started,
        data_dir=str(folder.data_dir),
        actor=flow_actor(actor),
        params=MappingProxyType(pipeline.run_parameters(config, None)),
        incident_id=incident_id,
    )


def flow_actor(fallback: str) -> str:
    """Who a flow's run is recorded as: `prefect:deployment/<name>:flow-run/<id>` for a
    deployment's (scheduled) run, `prefect:flow/<name>:flow-run/<id>` for a flow started
    directly (`recon nightly`); `fallback` outside a flow run. The OS user is recorded beside
    it by the store."""
    from prefect.runtime import deployment, flow_run

    run_id = flow_run.id
    if not run_id:
        return fallback
    where = f"deployment/{deployment.name}" if deployment.name else f"flow/{flow_run.flow_name}"
    actor = f"prefect:{where}:flow-run/{run_id}"
    # a deployment's name is whatever was typed: keep the actor one printable line
    return "".join(c if c.isprintable() else "?" for c in actor)[:MAX_ACTOR_CHARS]


def reconcile(
    config: Config,
    folder: RunFolder,
    run: RunInfo,
    landings: Sequence[Landing],
    pull_policy: PullPolicy,
    window: tuple[datetime, datetime] | None = None,
) -> pipeline.RunResult:
    """Pull `landings` into `folder`; read, find, narrow to `window`, keep, remedy, publish."""
    store = Path(config.store)
    folder.root.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    try:
        with _timed(timings, "pull"):
            _pull(landings, folder, pull_policy, config.timezone)
        with _timed(timings, "read"):
            ingested = steps.validate(config, folder)
        params = pipeline.detection_params(config, ingested)
        run = replace(
            run,
            files=ingested.files,
            counts=ingested.counts,
            cutoff=params.cutoff,
            params=MappingProxyType(pipeline.run_parameters(config, params)),
        )
        with _timed(timings, "find"):
            steps.find(config, folder, params)
            if window is not None:
                steps.window(config, folder, *window)
        with _timed(timings, "keep"):
            landed = steps.keep_and_publish(config, folder, store, run, timings)
        outcome, summary, outputs = landed.outcome, landed.summary, landed.outputs
    except ReconError as err:
        return steps.fail(config, folder, store, run, str(err), timings)
    except Exception as err:  # a crash is still a run that could not reconcile
        log.exception("run %s crashed", run.run_id)
        message = f"internal error: {type(err).__name__}: {err}"
        return steps.fail(config, folder, store, run, message, timings)
    code = ExitCode.FINDINGS if outcome.open_total else ExitCode.CLEAN
    return pipeline.RunResult(run.run_id, code, folder.out_dir, summary, outputs)


def _pull(
    landings: Sequence[Landing], folder: RunFolder, policy: PullPolicy, timezone: str
) -> None:
    """The pull, retried while extracts are late; past the deadline a terminal error says what."""
    started = time.monotonic()
    attempt = steps.pull.with_options(
        retries=policy.retries,
        retry_delay_seconds=policy.retry_seconds,
        retry_condition_fn=retry_while_late(policy, datetime.now(UTC), timezone),
    )
    try:
        attempt(landings, folder.data_dir)
    except ExtractNotReadyError as err:
        waited = _duration(time.monotonic() - started)
        raise ExtractsNotDeliveredError(err.missing, policy.retries + 1, waited) from err


def retry_while_late(
    policy: PullPolicy,
    started_at: datetime,
    timezone: str,
    say: Callable[[str], None] | None = None,
) -> Callable[[Any, Any, Any], bool]:
    """The pull's retry condition: retry a transient error only, and say so on stderr.

    Each failed attempt that will be retried prints one line: where recon looked (the
    landing's absolute path or URL) and what is missing, then when it looks again and when it
    gives up, so a nightly run waiting for late extracts is never silent.
    """
    say = say or _say
    attempts = policy.retries + 1
    deadline = started_at + timedelta(seconds=policy.deadline_seconds)

    def retry_if_late(task: Any, task_run: Any, state: Any) -> bool:
        try:
            state.result()
        except TransientError as err:
            attempt = getattr(task_run, "run_count", 0) or 1
            next_at = datetime.now(UTC) + timedelta(seconds=policy.retry_seconds)
            reason = str(err).removeprefix("extracts not ready: ")
            say(
                f"waiting for extracts: {reason} (attempt {attempt} of {attempts});"
                f" next attempt at {_clock(next_at, timezone)},"
                f" deadline {_clock(deadline, timezone)}"
            )
            return True
        except Exception:
            return False
        return False

    return retry_if_late


def _clock(moment: datetime, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M:%S} {timezone}"


def _say(message: str) -> None:
    print(f"recon: {message}", file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 3)
