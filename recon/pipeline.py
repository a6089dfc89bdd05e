"""One reconciliation run: read and validate -> find breaks -> keep -> remedies -> publish.

The CLI (`recon run`) and the Prefect flows call these same functions; the flows call the
steps one task each, handing over the path of a working DuckDB file instead of a connection.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import duckdb

from recon import findings, ingest, publish, remedies, store
from recon.config import Config, SlaPolicy
from recon.db import connect
from recon.errors import ReconError, TerminalError, TooManyBadRows
from recon.exit_codes import ExitCode
from recon.model import DetectionParams, IngestResult, RunInfo, RunSummary, StoreOutcome

Progress = Callable[[str], None]
log = logging.getLogger(__name__)

STAGES = (
    ("read", "reading and validating extracts"),
    ("find", "finding breaks"),
    ("keep", "updating the exception store"),
    ("remedies", "proposing corrections and compensation"),
    ("publish", "writing outputs and report"),
)


@dataclass(frozen=True)
class RunResult:
    run_id: str
    exit_code: ExitCode
    out_dir: Path
    summary: RunSummary
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def error(self) -> str | None:
        return self.summary.error


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: `run-20240316T000512Z-3f9a1c`."""
    now = now or datetime.now(UTC)
    return f"run-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def open_work_db(
    config: Config, path: Path | None = None, spill_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """The working database of one run: in memory, or a file when steps run as separate tasks.

    Beyond `memory_limit` DuckDB spills to `spill_dir`, so memory stays bounded as data grows.
    Every output and every order-dependent step sorts explicitly, so DuckDB is free not to
    keep insertion order: under a tight limit that spills less (10M transfers in 2GB: 102 s
    against 108-112 s).
    """
    con = connect(
        path or ":memory:",
        memory_limit=config.memory_limit,
        threads=config.threads,
        temp_directory=spill_dir,
    )
    con.execute("SET preserve_insertion_order = false")
    return con


def read_and_validate(
    con: duckdb.DuckDBPyConnection, data_dir: Path, config: Config, progress: Progress | None = None
) -> IngestResult:
    return ingest.load_extracts(con, Path(data_dir), config, progress=progress)


def detection_params(config: Config, ingested: IngestResult) -> DetectionParams:
    """Config cutoff (or `--cutoff`) wins; without either, the latest timestamp in the extracts."""
    cutoff = config.cutoff or ingested.latest_timestamp
    if cutoff is None:
        raise TerminalError("no cutoff given and the extracts hold no timestamp to default to")
    return DetectionParams(
        cutoff=cutoff,
        grace_minutes=config.grace_minutes,
        pending_sla_minutes=config.pending_sla_minutes,
        duplicate_window_minutes=config.duplicate_window_minutes,
        clearing_accounts=config.clearing_accounts,
        policy=config.policy,
    )


def find_breaks(con: duckdb.DuckDBPyConnection, params: DetectionParams) -> None:
    findings.find_breaks(con, params)


def keep_findings(
    store_path: Path,
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    *,
    sla: SlaPolicy | None = None,
    timings: Mapping[str, float] | None = None,
) -> StoreOutcome:
    return store.record_run(Path(store_path), con, run, actor=run.actor, sla=sla, timings=timings)


def propose_remedies(con: duckdb.DuckDBPyConnection) -> None:
    remedies.propose_corrections(con)
    remedies.compensation_by_customer(con)


def publish_outputs(
    out_dir: Path, con: duckdb.DuckDBPyConnection, summary: RunSummary
) -> dict[str, Path]:
    return publish.write_outputs(Path(out_dir), con, summary)


def run_parameters(config: Config, params: DetectionParams | None) -> dict[str, object]:
    """The parameters a run is recorded and reported with (JSON-able)."""
    out: dict[str, object] = {
        "timezone": config.timezone,
        "grace_minutes": config.grace_minutes,
        "pending_sla_minutes": config.pending_sla_minutes,
        "duplicate_window_minutes": config.duplicate_window_minutes,
        "max_bad_ratio": str(config.max_bad_ratio),
        "annual_rate": str(config.annual_rate),
        "clearing_accounts": list(config.clearing_accounts),
    }
    if params is not None:
        out["cutoff"] = params.cutoff.isoformat()
    return out


def run_reconciliation(
    data_dir: Path,
    out_dir: Path,
    config: Config,
    *,
    store_path: Path | None = None,
    actor: str = "recon run",
    incident_id: str | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
    work_db: Path | None = None,
) -> RunResult:
    """Reconcile the extracts in `data_dir` into `out_dir`; never raises for bad input.

    A run that cannot reconcile (missing, truncated or broken extracts, a busy store) returns
    exit code 2 with the reason in `summary.error`, writes summary.json (and quarantine.csv
    when rows were quarantined) and changes no finding in the store.
    """
    say = progress or (lambda _message: None)
    started = datetime.now(UTC)
    run_id = run_id or new_run_id(started)
    store_path = Path(store_path or config.store)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    run = RunInfo(
        run_id=run_id,
        started_at=started,
        cutoff=config.cutoff or started,
        data_dir=str(data_dir),
        actor=actor,
        params=MappingProxyType(run_parameters(config, None)),
        incident_id=incident_id,
    )
    with work_connection(config, work_db) as con:
        try:
            with _timed(timings, "read", say):
                try:
                    ingested = read_and_validate(con, Path(data_dir), config, progress=say)
                except TooManyBadRows as err:  # still report what was read
                    if err.result is not None:
                        run = replace(run, files=err.result.files, counts=err.result.counts)
                    raise
            run = replace(run, files=ingested.files, counts=ingested.counts)
            params = detection_params(config, ingested)
            run = replace(
                run,
                cutoff=params.cutoff,
                params=MappingProxyType(run_parameters(config, params)),
            )
            with _timed(timings, "find", say):
                find_breaks(con, params)
            with _timed(timings, "keep", say):
                outcome = keep_findings(store_path, con, run, sla=config.sla, timings=timings)
            with _timed(timings, "remedies", say):
                propose_remedies(con)
            summary = RunSummary(
                run=run,
                finished_at=datetime.now(UTC),
                outcome=outcome,
                timings=MappingProxyType(dict(timings)),
            )
            with _timed(timings, "publish", say):
                outputs = publish_outputs(out_dir, con, summary)
            code = ExitCode.FINDINGS if outcome.open_total else ExitCode.CLEAN
            return RunResult(run_id, code, out_dir, summary, outputs)
        except ReconError as err:
            return _failed(out_dir, con, store_path, run, timings, str(err))
        except Exception as err:  # a crash is still a run that could not reconcile
            log.exception("run %s crashed", run_id)
            message = f"internal error: {type(err).__name__}: {err}"
            return _failed(out_dir, con, store_path, run, timings, message)


def record_failure(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    run: RunInfo,
    error: str,
    timings: dict[str, float] | None = None,
) -> RunResult:
    """The failure path of `run_reconciliation`, for callers that run the steps one by one."""
    return _failed(Path(out_dir), con, Path(store_path), run, dict(timings or {}), error)


def _failed(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    run: RunInfo,
    timings: dict[str, float],
    error: str,
) -> RunResult:
    """Record and publish a run that could not reconcile; the findings stay as they were."""
    summary = RunSummary(
        run=run,
        finished_at=datetime.now(UTC),
        timings=MappingProxyType(dict(timings)),
        error=error,
    )
    try:
        store.record_failed_run(store_path, run, error)
    except ReconError as store_err:  # a busy store must not hide the original error
        summary = replace(summary, error=f"{error}; the failed run was not logged: {store_err}")
    outputs = publish.write_failure(out_dir, con, summary)
    return RunResult(run.run_id, ExitCode.FAILED, out_dir, summary, outputs)


@contextmanager
def work_connection(
    config: Config, work_db: Path | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database, open for one run or one flow task; it spills to a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="recon-spill-") as spill:
        con = open_work_db(config, work_db, Path(spill))
        try:
            yield con
        finally:
            con.close()


@contextmanager
def _timed(timings: dict[str, float], stage: str, say: Progress) -> Iterator[None]:
    say(dict(STAGES)[stage])
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 3)
