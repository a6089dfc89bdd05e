"""One bucket of a partitioned run: the per-transfer checks over that bucket's rows only.

A bucket holds every row of its transfers (bucket = hash(txn_ref) % buckets), so the facts
per transfer and the checks that read nothing but those facts give the same answer as over
the whole day. `run_bucket` needs nothing but its `BucketJob` and the files it names: it runs
the same way in this process or on a Dask worker (recon/cluster.py), and its outputs, named by
bucket and written under a temporary name then renamed, may be written again by a retry.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from recon.db import connect
from recon.faults import bucket_faults
from recon.sql import load_sql, run_statements

SOURCES = ("ledger", "channel", "gateway", "invoices")
SMALL_TABLES = ("_fb_reversed", "_fb_dup", "_fb_request_txn")
# what a bucket hands back: the transfers' facts, the staged findings, the evaluated transfers
OUTPUTS = ("_fb_txn", "_fb_found", "evaluated_txn_refs")
STAGES = ("key_time", "transfers", "half_completed", "amounts", "invoices")


@dataclass(frozen=True)
class BucketJob:
    """Everything a worker needs for one bucket; plain values only, so it pickles."""

    exchange: str  # the folder of the bucket inputs (buckets.py), seen by every worker
    bucket: int
    bindings: Mapping[str, object]
    skipped_stages: tuple[str, ...] = ()
    memory_limit: str = "1GB"
    threads: int = 1
    spill_dir: str | None = None


def input_files(exchange: str | Path, source: str, bucket: int) -> list[str]:
    """The bucket's Parquet files of one source, led by the empty file that gives the columns."""
    root = Path(exchange)
    part = root / source / f"bucket={bucket}"
    files = sorted(str(p) for p in part.glob("*.parquet")) if part.is_dir() else []
    return [str(root / f"{source}.empty.parquet"), *files]


def output_file(exchange: str | Path, table: str, bucket: int) -> Path:
    return Path(exchange) / "out" / table / f"bucket-{bucket:05d}.parquet"


def run_bucket(job: BucketJob) -> dict[str, str]:
    """Run the per-transfer stages over one bucket; the paths of its three outputs."""
    bucket_faults(job.bucket)
    con = connect(memory_limit=job.memory_limit, threads=job.threads, temp_directory=job.spill_dir)
    try:
        con.execute("SET preserve_insertion_order = false")
        for source in SOURCES:
            con.execute(
                f"CREATE TABLE {source} AS SELECT * FROM read_parquet($files)",
                {"files": input_files(job.exchange, source, job.bucket)},
            )
        for table in SMALL_TABLES:
            con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_parquet($file)",
                {"file": str(Path(job.exchange) / f"{table}.parquet")},
            )
        for stage in STAGES:
            if stage not in job.skipped_stages:
                run_statements(con, load_sql("recon.findings", stage), job.bindings)
        written = {}
        for table in OUTPUTS:
            target = output_file(job.exchange, table, job.bucket)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
            con.execute(f"COPY {table} TO $path (FORMAT parquet)", {"path": str(partial)})
            os.replace(partial, target)  # a retried bucket replaces, never appends
            written[table] = str(target)
        return written
    finally:
        con.close()
