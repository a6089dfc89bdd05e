"""The library's own steps as Prefect tasks: one call each, handing over paths, not data.

Every task opens the run's working DuckDB file (`work.duckdb` in the run folder), calls the
same `recon.pipeline` step that `recon run` calls, and closes it again. Only small frozen
records (IngestResult, StoreOutcome, RunResult) travel between tasks, so nothing big is ever
serialised and every task could run in another process.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from recon import landing, pipeline
from recon.config import Config
from recon.errors import TransientError
from recon.incident.window import keep_window
from recon.model import DetectionParams, IngestResult, RunInfo

# Steps change the store and the run folder: never skip one because of a cached result.
STEP = {"cache_policy": NO_CACHE, "persist_result": False}


@dataclass(frozen=True)
class RunFolder:
    """One flow run's folder: pulled extracts, pulled.json, the working database, the outputs."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def work_db(self) -> Path:
        return self.root / "work.duckdb"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"


def working_db(config: Config, path: Path) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The run's working database file, open for one step (the same one `recon run` uses)."""
    return pipeline.work_connection(config, Path(path))


def only_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    """Retry a step only for errors that may clear by themselves (a late extract)."""
    try:
        state.result()
    except TransientError:
        return True
    except Exception:
        return False
    return False


@task(name="pull extracts", retry_condition_fn=only_transient, **STEP)
def pull(landings: Sequence[landing.Landing], data_dir: Path) -> tuple[landing.PulledFile, ...]:
    return landing.pull_extracts(landings, Path(data_dir))


@task(name="read and validate", **STEP)
def validate(config: Config, folder: RunFolder) -> IngestResult:
    with working_db(config, folder.work_db) as con:
        return pipeline.read_and_validate(con, folder.data_dir, config)


@task(name="find breaks", **STEP)
def find(config: Config, folder: RunFolder, params: DetectionParams) -> None:
    """With `cluster` set, the buckets run as a nested flow of one task per bucket on Dask."""
    executor, workers = None, 1
    if config.cluster:
        from flows.cluster import cluster_executor  # imports dask: only when asked for

        executor, workers = cluster_executor(config.cluster)
    with working_db(config, folder.work_db) as con:
        plan = pipeline.bucket_plan(con, config, executor=executor, workers=workers)
        pipeline.find_breaks(con, params, plan)


@task(name="keep incident window", **STEP)
def window(config: Config, folder: RunFolder, start: datetime, end: datetime) -> None:
    with working_db(config, folder.work_db) as con:
        keep_window(con, start, end)


@task(name="keep findings and publish", **STEP)
def keep_and_publish(
    config: Config, folder: RunFolder, store: Path, run: RunInfo, timings: dict[str, float]
) -> pipeline.Landed:
    """One task, because the store commits only once the outputs are written (one landing)."""
    with working_db(config, folder.work_db) as con:
        return pipeline.keep_and_publish(
            store,
            con,
            run,
            folder.out_dir,
            sla=config.sla,
            timings=timings,
            privacy=config.privacy,
            used=pipeline.used_resources(config, con),
        )


@task(name="record failure", **STEP)
def fail(
    config: Config,
    folder: RunFolder,
    store: Path,
    run: RunInfo,
    error: str,
    timings: dict[str, float],
) -> pipeline.RunResult:
    with working_db(config, folder.work_db) as con:
        return pipeline.record_failure(
            folder.out_dir, con, store, run, error, timings, config.privacy
        )
