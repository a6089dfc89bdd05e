"""One bucket of a partitioned run: the per-transfer checks over that bucket's rows only.

A bucket holds every row of its transfers (bucket = hash(txn_ref) % buckets), so the facts
per transfer and the checks that read nothing but those facts give the same answer as over
the whole day. `run_bucket` needs nothing but its `BucketJob` and the files it names: it runs
the same way in this process or on a Dask worker (flows/cluster.py), and its outputs, named by
bucket and written under a temporary name then renamed, may be written again by a retry.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from recon.db import connect
from recon.faults import bucket_faults
from recon.findings.exchange import Exchange
from recon.findings.stages import PER_TRANSFER
from recon.sql import load_sql, run_statements

SOURCES = ("ledger", "channel", "gateway", "invoices")
SMALL_TABLES = ("_fb_reversed", "_fb_dup", "_fb_request_txn")
# what a bucket hands back: the transfers' facts, the staged findings, the evaluated transfers
OUTPUTS = ("_fb_txn", "_fb_found", "evaluated_txn_refs")
STAGES = ("key_time", *PER_TRANSFER)  # the macro the keys use, then the checks


@dataclass(frozen=True)
class BucketJob:
    """Everything a worker needs for one bucket; plain values only, so it pickles."""

    exchange: str  # the exchange folder (exchange.py): a path or URL every worker sees
    bucket: int
    bindings: Mapping[str, object]
    skipped_stages: tuple[str, ...] = ()
    memory_limit: str = "1GB"
    threads: int = 1


def input_files(exchange: Exchange, source: str, bucket: int) -> list[str]:
    """The bucket's Parquet files of one source, led by the empty file that gives the columns."""
    files = exchange.glob(source, f"bucket={bucket}", "*.parquet")
    return [exchange.path(f"{source}.empty.parquet"), *files]


def output_file(exchange: Exchange, table: str, bucket: int) -> str:
    return exchange.path("out", table, f"bucket-{bucket:05d}.parquet")


def run_bucket(job: BucketJob) -> dict[str, str]:
    """Run the per-transfer stages over one bucket; the paths of its three outputs."""
    bucket_faults(job.bucket)
    exchange = Exchange(job.exchange)
    # spill (if any) goes to this machine's own disk, never to the shared exchange folder
    with tempfile.TemporaryDirectory(prefix="recon-bucket-spill-") as spill:
        con = connect(memory_limit=job.memory_limit, threads=job.threads, temp_directory=spill)
        try:
            exchange.attach(con)
            return _run(con, exchange, job)
        finally:
            con.close()


def _run(con: duckdb.DuckDBPyConnection, exchange: Exchange, job: BucketJob) -> dict[str, str]:
    con.execute("SET preserve_insertion_order = false")
    for source in SOURCES:
        con.execute(
            f"CREATE TABLE {source} AS SELECT * FROM read_parquet($files)",
            {"files": input_files(exchange, source, job.bucket)},
        )
    for table in SMALL_TABLES:
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_parquet($file)",
            {"file": exchange.path(f"{table}.parquet")},
        )
    for stage in STAGES:
        if stage not in job.skipped_stages:
            run_statements(con, load_sql("recon.findings", stage), job.bindings)
    written = {}
    for table in OUTPUTS:
        target = output_file(exchange, table, job.bucket)
        exchange.makedirs("out", table)
        partial = exchange.path("out", table, f".bucket-{job.bucket:05d}.{os.getpid()}.partial")
        con.execute(f"COPY {table} TO $path (FORMAT parquet)", {"path": partial})
        exchange.replace(partial, target)  # a retried bucket replaces, never appends
        written[table] = target
    return written
