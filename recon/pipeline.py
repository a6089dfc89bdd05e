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

from recon import findings, ingest, publish, remedies, resources, store
from recon.config import Config, PrivacyPolicy, SlaPolicy
from recon.db import connect
from recon.errors import ReconError, TerminalError, TooManyBadRows
from recon.exit_codes import ExitCode
from recon.faults import pause_at
from recon.findings.buckets import BucketPlan, Executor, buckets_for
from recon.model import DetectionParams, IngestResult, RunInfo, RunSummary, StoreOutcome
from recon.publish import landing
from recon.sql import load_sql

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

    Beyond `memory_limit` (without one, a limit picked for the machine: recon/resources.py)
    DuckDB spills to `spill_dir`, so memory stays bounded as data grows.
    Every output and every order-dependent step sorts explicitly, so DuckDB is free not to
    keep insertion order: under a tight limit that spills less (10M transfers in 2GB: 102 s
    against 108-112 s).
    """
    chosen = resources.choose(config.memory_limit, config.threads)
    con = connect(
        path or ":memory:",
        memory_limit=chosen.memory_limit,
        threads=chosen.threads,
        temp_directory=spill_dir,
    )
    con.execute("SET preserve_insertion_order = false")
    return con


def read_and_validate(
    con: duckdb.DuckDBPyConnection, data_dir: Path, config: Config, progress: Progress | None = None
) -> IngestResult:
    """The extracts as validated working tables; a required extract without data rows stops."""
    result = ingest.load_extracts(con, Path(data_dir), config, progress=progress)
    ingest.check_required_rows(result)
    if result.absent:
        say = progress or (lambda _message: None)
        for source in result.absent:
            checks = CHECKS_OF_OPTIONAL.get(source, source)
            say(f"no {source} extract: the {checks} checks are not run")
    return result


def detection_params(config: Config, ingested: IngestResult) -> DetectionParams:
    """Config cutoff (or `--cutoff`) wins; without either, the latest timestamp in the extracts."""
    cutoff = config.cutoff or ingested.latest_timestamp
    if cutoff is None:
        raise TerminalError("no cutoff given and the extracts hold no timestamp to default to")
    return DetectionParams(
        cutoff=cutoff,
        skipped_types=skipped_types(ingested),
        grace_minutes=config.grace_minutes,
        pending_sla_minutes=config.pending_sla_minutes,
        duplicate_window_minutes=config.duplicate_window_minutes,
        clearing_accounts=config.clearing_accounts,
        policy=config.policy,
    )


# optional source -> the finding type whose checks need it
CHECKS_OF_OPTIONAL = {"invoices": "INVOICE"}


def skipped_types(ingested: IngestResult) -> tuple[str, ...]:
    """Finding types not checked in this run: their optional extract is absent."""
    return tuple(CHECKS_OF_OPTIONAL[s] for s in ingested.absent if s in CHECKS_OF_OPTIONAL)


def find_breaks(
    con: duckdb.DuckDBPyConnection, params: DetectionParams, plan: BucketPlan | None = None
) -> None:
    findings.find_breaks(con, params, plan=plan)
    remedies.apply_policies(con, params)  # [[compensation.policies]], if any


def bucket_plan(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    *,
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> BucketPlan:
    """How the per-transfer checks run: `buckets` from the configuration; else in one process
    one bucket (the whole day at once: cutting it costs more than it saves there, see
    docs/scale.md), and on a cluster enough buckets that each fits a worker's memory, at least
    two per worker. Each bucket gets the run's memory limit shared among this machine's
    workers."""
    chosen = resources.choose(config.memory_limit, config.threads)
    share = resources.share(chosen, workers)
    count = config.buckets or 1
    if not config.buckets and executor is not None:
        rows = con.execute(load_sql("recon", "working_rows")).fetchone()
        count = max(
            buckets_for(int(rows[0]) if rows else 0, share.memory_limit), 2 * max(workers, 1)
        )
    return BucketPlan(
        buckets=count,
        executor=executor,
        exchange_root=config.cluster_storage,
        memory_limit=share.memory_limit,
        threads=share.threads,
        progress=progress,
    )


def propose_remedies(con: duckdb.DuckDBPyConnection) -> None:
    remedies.propose_corrections(con)
    remedies.compensation_by_customer(con)


@dataclass(frozen=True)
class Landed:
    outcome: StoreOutcome
    summary: RunSummary
    outputs: dict[str, Path]


def keep_and_publish(
    store_path: Path,
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    out_dir: Path,
    *,
    sla: SlaPolicy | None = None,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
    privacy: PrivacyPolicy | None = None,
    used: Mapping[str, object] | None = None,
) -> Landed:
    """Keep the findings, propose remedies and write the outputs, as one landing.

    The outputs are written into a folder beside OUT while the store's transaction is open;
    the store commits only once they are all written, then the folder replaces OUT. So a
    failure anywhere before the commit leaves the store and OUT as they were; OUT is moved
    aside just before the commit, so one that cannot be replaced fails the run there
    (recon/publish/landing.py has the one window after the commit, and its recovery).
    """
    say = progress or (lambda _message: None)
    timings = timings if timings is not None else {}
    out_dir = Path(out_dir)
    staged: Path | None = None
    store_started = time.perf_counter()
    try:
        with store.recording(
            Path(store_path), con, run, actor=run.actor, sla=sla, timings=timings,
            on_lock=lambda held: landing.recover(
                out_dir, lambda run_id: store.run_recorded(held, run_id)
            ),
        ) as outcome:  # fmt: skip
            # the store's share of keep (lock, matching, the write, the audit chain)
            timings["store"] = round(time.perf_counter() - store_started, 3)
            pause_at("keep")
            # made once the store is held: the recovery of a killed run's leftovers runs first
            staged = landing.staging_dir(out_dir, run.run_id)
            with _timed(timings, "remedies", say):
                propose_remedies(con)
                store.keep_suggestions(con, run)  # in the store's open transaction
            summary = RunSummary(
                run=run,
                finished_at=datetime.now(UTC),
                outcome=outcome,
                timings=MappingProxyType(dict(timings)),
                resources=MappingProxyType(dict(used or {})),
            )
            with _timed(timings, "publish", say):
                outputs = publish.write_outputs(staged, con, summary, privacy)
            pause_at("publish")
            landing.set_aside(staged, out_dir)  # fails here, not after the commit
    except BaseException:
        if staged is not None:
            landing.put_back(staged, out_dir)
            landing.discard(staged)
        raise
    pause_at("commit")
    landing.land(staged, out_dir)
    _keep_for_later_steps(con)
    return Landed(outcome, summary, {name: out_dir / path.name for name, path in outputs.items()})


# written inside the store's transaction as temp tables (one transaction writes one database)
RESULT_TABLES = ("exceptions", "corrections", "compensation")


def _keep_for_later_steps(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the run's results into the working database itself, for steps that open it
    again after this one (the flows' artifacts, the incident report)."""
    for name in RESULT_TABLES:
        con.execute(f"CREATE OR REPLACE TABLE main.{name} AS SELECT * FROM temp.main.{name}")


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
        out["checks_not_run"] = list(params.skipped_types)
    return out


def run_reconciliation(
    data_dir: Path,
    out_dir: Path,
    config: Config,
    *,
    store_path: Path | None = None,
    actor: str | None = None,
    incident_id: str | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
    work_db: Path | None = None,
    executor: Executor | None = None,
    workers: int = 1,
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
    timings: dict[str, float] = {}
    run = RunInfo(
        run_id=run_id,
        started_at=started,
        cutoff=config.cutoff or started,
        data_dir=str(data_dir),
        actor=store.default_actor() if actor is None else actor,  # the OS user by default
        params=MappingProxyType(run_parameters(config, None)),
        incident_id=incident_id,
    )
    chosen = resources.choose(config.memory_limit, config.threads)
    where = None if work_db else resources.place(config.working_db, data_dir, chosen.memory_limit)
    on_disk = where is not None and where.where == "disk"
    spill = resources.SpillMeter(where)
    tables = "; the working tables in a file there (a day far beyond memory)" if on_disk else ""
    say(
        f"working memory {chosen.memory_limit}, {chosen.threads} thread(s); beyond it, disk{tables}"
    )
    with work_connection(config, work_db, on_disk=on_disk) as con:
        try:
            landing.check_out_dir(out_dir)
            with _timed(timings, "read", say), _sampled(spill, con):
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
            pause_at("read")
            with _timed(timings, "find", say), _sampled(spill, con):
                plan = bucket_plan(con, config, executor=executor, workers=workers, progress=say)
                find_breaks(con, params, plan)
            pause_at("find")
            with _timed(timings, "keep", say):
                landed = keep_and_publish(
                    store_path,
                    con,
                    run,
                    out_dir,
                    sla=config.sla,
                    timings=timings,
                    progress=say,
                    privacy=config.privacy,
                    used=used_resources(config, con, spill),
                )
            code = ExitCode.FINDINGS if landed.outcome.open_total else ExitCode.CLEAN
            return RunResult(run_id, code, out_dir, landed.summary, landed.outputs)
        except ReconError as err:
            return _failed(
                out_dir, con, store_path, run, timings, str(err), config.privacy,
                used_resources(config, con, spill),
            )  # fmt: skip
        except Exception as err:  # a crash is still a run that could not reconcile
            log.debug("run %s crashed", run_id, exc_info=True)  # shown with --debug
            message = crash_message(err, next(reversed(timings), "read"), chosen.memory_limit)
            return _failed(
                out_dir, con, store_path, run, timings, message, config.privacy,
                used_resources(config, con, spill),
            )  # fmt: skip


def crash_message(err: Exception, step: str, memory_limit: str) -> str:
    """One line for a run that crashed. Out of memory is said as what an analyst can act on
    (the step, the limit, what to change); DuckDB's own hints name settings recon sets."""
    if not isinstance(err, duckdb.OutOfMemoryException):
        return f"internal error: {type(err).__name__}: {err}"
    said = (str(err).strip() or "out of memory").splitlines()[0]
    return (
        f"out of memory in the {step} step within memory_limit {memory_limit}: raise"
        f" memory_limit in recon.toml (or --memory-limit), or lower threads, and run again"
        f" (DuckDB: {said})"
    )


def record_failure(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    run: RunInfo,
    error: str,
    timings: dict[str, float] | None = None,
    privacy: PrivacyPolicy | None = None,
) -> RunResult:
    """The failure path of `run_reconciliation`, for callers that run the steps one by one."""
    return _failed(Path(out_dir), con, Path(store_path), run, dict(timings or {}), error, privacy)


def _failed(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    run: RunInfo,
    timings: dict[str, float],
    error: str,
    privacy: PrivacyPolicy | None = None,
    used: Mapping[str, object] | None = None,
) -> RunResult:
    """Record and report a run that could not reconcile: the findings and OUT stay as they
    were; the failure report goes to `<OUT>.failed` (removed when a later run lands)."""
    summary = RunSummary(
        run=run,
        finished_at=datetime.now(UTC),
        timings=MappingProxyType(dict(timings)),
        error=error,
        resources=MappingProxyType(dict(used or {})),
    )
    try:
        store.record_failed_run(store_path, run, error)
    except ReconError as store_err:  # a busy store must not hide the original error
        why = "either" if str(store_err) in error else f"as the store failed too: {store_err}"
        summary = replace(summary, error=f"{error}; the failed run was not logged {why}")
    except Exception as store_err:  # nor a broken one
        summary = replace(
            summary,
            error=f"{error}; the failed run was not logged: {type(store_err).__name__}",
        )
    report = landing.failure_dir(out_dir)
    outputs = publish.write_failure(report, con, summary, privacy)
    return RunResult(run.run_id, ExitCode.FAILED, report, summary, outputs)


@contextmanager
def work_connection(
    config: Config, work_db: Path | None = None, *, on_disk: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database, open for one run or one flow task; it spills to a temporary folder.

    `work_db` is a flow's file, shared by its tasks; otherwise the database is in memory, or
    with `on_disk` a file in the temporary folder (resources.place), removed with it."""
    with tempfile.TemporaryDirectory(prefix="recon-spill-") as spill:
        if work_db is None and on_disk:
            work_db = Path(spill) / "work.duckdb"
        con = open_work_db(config, work_db, Path(spill))
        try:
            yield con
        finally:
            con.close()


def used_resources(
    config: Config, con: duckdb.DuckDBPyConnection, spill: resources.SpillMeter | None = None
) -> dict[str, object]:
    """What summary.json says under `resources`: the limits the working database got and the
    most it spilled (sampled now and by `spill` between earlier steps)."""
    spill = spill or resources.SpillMeter()
    _sample(spill, con)
    return spill.report(resources.choose(config.memory_limit, config.threads))


def _sample(spill: resources.SpillMeter, con: duckdb.DuckDBPyConnection) -> None:
    try:
        spill.sample(con)
    except duckdb.Error:  # a connection a failure left unusable reports no spill
        pass


@contextmanager
def _sampled(spill: resources.SpillMeter, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Note what the step left spilled, also when it failed (its figure is in the report)."""
    try:
        yield
    finally:
        _sample(spill, con)


@contextmanager
def _timed(timings: dict[str, float], stage: str, say: Progress) -> Iterator[None]:
    say(dict(STAGES)[stage])
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 3)
