"""Partitioned execution of the per-transfer checks: cut the day into buckets, run each alone.

A day whose working tables do not fit the memory limit spills, and then every pass over a
source reads it back from disk (docs/benchmarks.md, issue 11). Here the columns the
per-transfer checks read are written once, cut by bucket = hash(txn_ref) % buckets, as
Parquet in an exchange folder; each bucket is then checked on its own (bucket_run.py), one
after another in this process or side by side on a cluster's workers (flows/cluster.py),
and the buckets' outputs are read back for the checks that look across transfers.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from recon import resources
from recon.findings.bucket_run import OUTPUTS, SOURCES, BucketJob, run_bucket
from recon.findings.exchange import Exchange
from recon.sql import load_sql, run_statements

Executor = Callable[[Sequence[BucketJob]], Sequence[dict[str, str]]]
Progress = Callable[[str], None]

# Bytes a row of the working tables takes while a bucket is checked: its input columns,
# its share of the per-source facts and of `_fb_txn` (measured: 4.4 GB of working tables
# for the 37.8M rows of a 10M-transfer day; the facts add about as much again).
BYTES_PER_ROW = 250


@dataclass(frozen=True)
class BucketPlan:
    """How many buckets, who runs them (None: one after another here), and where the
    exchange folder goes (None: a temporary folder beside the working database's spill)."""

    buckets: int
    executor: Executor | None = None
    exchange_root: str | None = None
    memory_limit: str = "1GB"
    threads: int = 1
    progress: Progress | None = None


def buckets_for(rows: int, memory_limit: str) -> int:
    """Enough buckets that one bucket's rows fit the memory limit; 1 when the day fits."""
    limit = resources.limit_bytes(memory_limit)
    return max(1, math.ceil(rows * BYTES_PER_ROW / limit))


@contextmanager
def partitioned(
    con: duckdb.DuckDBPyConnection,
    bound: dict[str, object],
    skipped: tuple[str, ...],
    plan: BucketPlan,
) -> Iterator[None]:
    """Run the per-transfer stages bucket by bucket; inside the block `_fb_txn` (a view over
    the buckets' outputs), `_fb_found` and `evaluated_txn_refs` stand as a whole-day run
    leaves them. The exchange folder is removed on the way out, also after a failure."""
    exchange = Exchange.create(_exchange_root(con, plan))
    say = plan.progress or (lambda _message: None)
    try:
        say(f"find: cutting the day into {plan.buckets} buckets")
        exchange.attach(con)
        _export(con, exchange, plan.buckets)
        jobs = [
            BucketJob(
                exchange=exchange.url,
                bucket=bucket,
                bindings=bound,
                skipped_stages=skipped,
                memory_limit=plan.memory_limit,
                threads=plan.threads,
            )
            for bucket in range(plan.buckets)
        ]
        outputs = (plan.executor or _serial(plan.progress))(jobs)
        _gather(con, outputs)
        say("find: checks across transfers")
        yield
    finally:
        con.execute("DROP VIEW IF EXISTS _fb_txn")
        exchange.remove()


def _exchange_root(con: duckdb.DuckDBPyConnection, plan: BucketPlan) -> str:
    if plan.exchange_root:
        if "://" not in plan.exchange_root:
            Path(plan.exchange_root).mkdir(parents=True, exist_ok=True)
        return plan.exchange_root
    row = con.execute(load_sql("recon", "spill_folder")).fetchone()
    folder = Path(str(row[0])) if row and row[0] else None
    # DuckDB's default spill folder is made only once it spills: then the system's temp
    return str(folder) if folder is not None and folder.is_dir() else tempfile.gettempdir()


def _export(con: duckdb.DuckDBPyConnection, exchange: Exchange, buckets: int) -> None:
    places: dict[str, object] = {"buckets": buckets}
    for source in SOURCES:
        places[f"{source}_dir"] = exchange.path(source)
        places[f"{source}_empty"] = exchange.path(f"{source}.empty.parquet")
    for table in ("reversed", "dup", "request_txn"):
        places[f"{table}_file"] = exchange.path(f"_fb_{table}.parquet")
    run_statements(con, load_sql("recon.findings", "bucket_inputs"), places)


def _serial(progress: Progress | None) -> Executor:
    def run(jobs: Sequence[BucketJob]) -> list[dict[str, str]]:
        done = []
        for job in jobs:
            if progress:
                progress(f"find: bucket {job.bucket + 1} of {len(jobs)}")
            done.append(run_bucket(job))
        return done

    return run


def _gather(con: duckdb.DuckDBPyConnection, outputs: Sequence[dict[str, str]]) -> None:
    files = {table: [out[table] for out in outputs] for table in OUTPUTS}
    con.execute("SET VARIABLE recon_bucket_txn = $files", {"files": files["_fb_txn"]})
    run_statements(
        con,
        load_sql("recon.findings", "bucket_gather"),
        {"found": files["_fb_found"], "evaluated": files["evaluated_txn_refs"]},
    )
