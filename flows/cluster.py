"""The buckets of a partitioned run as Prefect tasks on a Dask cluster (prefect-dask).

`cluster_executor("local:2")` starts a LocalCluster of two worker processes for the run;
`cluster_executor("tcp://scheduler:8786")` uses a running scheduler. Either way each bucket is
one Prefect task (`bucket-3 of 8` in the Prefect UI) running `recon.findings.bucket_run.
run_bucket` on a worker: it reads its inputs from the exchange folder and writes its outputs
there (a folder every worker must see: `cluster_storage`), so only paths cross the network.

A worker lost mid-bucket: Dask reruns its task elsewhere, and the task itself is retried once
by Prefect; a bucket's outputs are written under a temporary name and renamed, so a retry
replaces them. A bucket that fails twice fails the run: `BucketFailed`, exit 2, nothing stored.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from recon.errors import ReconError
from recon.findings.bucket_run import BucketJob, run_bucket
from recon.findings.buckets import Executor

RETRIES = 1  # a bucket is tried twice in all


class BucketFailed(ReconError):
    """A bucket failed on the cluster, also when retried: the run stops, nothing is stored."""


class ClusterUnavailable(ReconError):
    """The cluster could not be reached or started: the run stops before anything is stored."""


@dataclass(frozen=True)
class Cluster:
    """Where the buckets run: a LocalCluster of `workers` here, or a scheduler's address."""

    address: str | None
    workers: int

    @classmethod
    def parse(cls, value: str) -> Cluster:
        value = value.strip()
        if value == "local":
            return cls(None, os.cpu_count() or 1)
        if value.startswith("local:"):
            return cls(None, int(value.removeprefix("local:")))
        return cls(value, 0)  # unknown until asked: the plan's at-least-two-per-worker uses 1

    def task_runner(self) -> DaskTaskRunner:
        if self.address:
            return DaskTaskRunner(address=self.address)
        # one thread per worker process (DuckDB threads inside it); Dask's own memory
        # management off: the bucket's DuckDB keeps to its own memory_limit
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": self.workers,
                "threads_per_worker": 1,
                "processes": True,
                "memory_limit": 0,
                "dashboard_address": None,
            }
        )


@task(
    name="bucket",
    task_run_name="bucket-{job.bucket}",
    retries=RETRIES,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def bucket_task(job: BucketJob) -> dict[str, str]:
    return run_bucket(job)


@flow(name="recon-buckets", validate_parameters=False)
def buckets_flow(jobs: list[BucketJob]) -> list[dict[str, str]]:
    futures = [bucket_task.submit(job) for job in jobs]
    done: list[dict[str, str]] = []
    for job, future in zip(jobs, futures, strict=True):
        try:
            done.append(future.result())
        except Exception as err:
            raise BucketFailed(
                f"bucket {job.bucket} of {len(jobs)} failed on the cluster, also when retried:"
                f" {type(err).__name__}: {err}"
            ) from err
    return done


def cluster_executor(value: str) -> tuple[Executor, int]:
    """An executor for `BucketPlan` that runs the buckets on `value`'s cluster, and how many
    workers it has (0: a remote cluster, not known before it runs)."""
    cluster = Cluster.parse(value)

    def run(jobs: Sequence[BucketJob]) -> list[dict[str, str]]:
        runner = cluster.task_runner()
        try:
            return buckets_flow.with_options(task_runner=runner)(list(jobs))
        except OSError as err:  # the scheduler cannot be reached, or the cluster not started
            raise ClusterUnavailable(f"cannot use the Dask cluster {value}: {err}") from err

    return run, cluster.workers
