"""The same reconciliation on a real Dask LocalCluster: the same exceptions to the cent.

Each test runs `recon run` in buckets on a LocalCluster of two worker processes (Prefect
tasks through prefect-dask) and compares the store it leaves with a single-process run's:
every exception's id, amounts, compensation, evidence and status, and compensation.csv byte
for byte. A worker killed mid-bucket is replaced and the run still lands the same answer; a
bucket that fails twice stops the run with exit 2 and stores nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.faults import FAIL_BUCKET_ENV, KILL_BUCKET_ENV
from recon.sample.generate import GenerationResult, generate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
COMPARED = (
    "exception_id, finding_key, type, subtype, txn_ref, related_txn_ref, customer_id,"
    " account_id, amount, currency, evidence, proposed_action, compensation, event_at,"
    " channel, status"
)


def run(data: Path, config: Path, folder: Path, *extra: str) -> tuple[int, Path, Path]:
    out, store = folder / "out", folder / "store.duckdb"
    code = main(
        ["run", "--quiet", "--data-dir", str(data), "--out", str(out), "--store", str(store),
         "--config", str(config), *extra]
    )  # fmt: skip
    return code, out, store


def exceptions(store: Path) -> list[tuple]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(f"SELECT {COMPARED} FROM exceptions ORDER BY exception_id").fetchall()
    finally:
        con.close()


def assert_same_answer(single: tuple[int, Path, Path], cluster: tuple[int, Path, Path]) -> None:
    assert cluster[0] == single[0] == ExitCode.FINDINGS
    assert exceptions(cluster[2]) == exceptions(single[2])
    for name in ("compensation.csv", "corrections.csv"):
        assert (cluster[1] / name).read_bytes() == (single[1] / name).read_bytes()


@pytest.fixture(scope="module")
def single_sample(tmp_path_factory) -> tuple[int, Path, Path]:
    return run(SAMPLE / "data", SAMPLE / "recon.toml", tmp_path_factory.mktemp("single"))


@pytest.mark.usefixtures("prefect_harness")
def test_the_sample_day_on_a_local_cluster_gives_the_single_process_answer(single_sample, tmp_path):
    cluster = run(SAMPLE / "data", SAMPLE / "recon.toml", tmp_path, "--cluster", "local:2",
                  "--buckets", "4")  # fmt: skip
    assert len(exceptions(cluster[2])) > 50
    assert_same_answer(single_sample, cluster)


@pytest.fixture(scope="module")
def generated_1m(tmp_path_factory) -> GenerationResult:
    root = tmp_path_factory.mktemp("day1m")
    return generate(
        root / "day", transfers=1_000_000, seed=11, business_date=date(2024, 3, 15),
        fmt="parquet",
    )  # fmt: skip


@pytest.mark.usefixtures("prefect_harness")
def test_a_generated_million_transfer_day_on_a_local_cluster_gives_the_same_answer(
    generated_1m, tmp_path
):
    data, config = generated_1m.data_dir, generated_1m.config_path
    single = run(data, config, tmp_path / "single")
    cluster = run(data, config, tmp_path / "cluster", "--cluster", "local:2", "--buckets", "6")
    assert len(exceptions(single[2])) > 10_000
    assert_same_answer(single, cluster)


@pytest.mark.usefixtures("prefect_harness")
def test_a_worker_killed_mid_run_is_replaced_and_the_answer_is_the_same(
    single_sample, tmp_path, monkeypatch
):
    marker = tmp_path / "killed.pid"
    monkeypatch.setenv(KILL_BUCKET_ENV, f"1:{marker}")
    cluster = run(SAMPLE / "data", SAMPLE / "recon.toml", tmp_path, "--cluster", "local:2",
                  "--buckets", "4")  # fmt: skip
    assert marker.exists()  # a worker process did die running bucket 1
    assert_same_answer(single_sample, cluster)


def recon_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`recon` as a user starts it: its own process, Prefect set up by recon itself."""
    exe = Path(sys.executable).with_name("recon")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=600,
        env={**os.environ, **env}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_bucket_that_fails_twice_stops_the_run_and_stores_nothing(tmp_path):
    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    done = recon_cli(
        "run", "--quiet", "--data-dir", str(SAMPLE / "data"), "--out", str(out),
        "--store", str(store), "--config", str(SAMPLE / "recon.toml"),
        "--cluster", "local:1", "--buckets", "2", **{FAIL_BUCKET_ENV: "1"},
    )  # fmt: skip
    assert done.returncode == ExitCode.FAILED
    (line,) = done.stderr.strip().splitlines()
    assert "bucket 1 of 2 failed on the cluster, also when retried" in line
    if store.exists():
        assert exceptions(store) == []
    assert not (out / "exceptions.csv").exists()


def test_the_nightly_flow_runs_its_buckets_on_the_cluster_one_task_each(
    single_sample, prefect_client, tmp_path
):
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName

    from flows.nightly import nightly

    day = date(2024, 3, 15)
    shutil.copytree(SAMPLE / "data", tmp_path / "landing" / day.isoformat())
    config = tmp_path / "recon.toml"
    config.write_text(
        (SAMPLE / "recon.toml").read_text(encoding="utf-8")
        + f'landing = "{tmp_path}/landing/{{date}}"\nstore = "{tmp_path}/recon.duckdb"\n'
        + 'pull_deadline_minutes = 0\ncluster = "local:2"\nbuckets = 3\n',
        encoding="utf-8",
    )
    state = nightly(
        business_date=day, config_path=str(config), runs_dir=str(tmp_path / "runs"),
        return_state=True,
    )  # fmt: skip
    assert state.is_completed()
    assert exceptions(tmp_path / "recon.duckdb") == exceptions(single_sample[2])
    runs = prefect_client.read_task_runs(
        task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="bucket-"))
    )
    assert {"bucket-0", "bucket-1", "bucket-2"} <= {run.name for run in runs}


@pytest.mark.usefixtures("prefect_harness")
def test_workers_exchange_the_buckets_through_an_fsspec_url(single_sample, tmp_path):
    """A `file://` URL takes the same path through fsspec as `s3://` would (no S3 here)."""
    storage = tmp_path / "exchange"
    cluster = run(SAMPLE / "data", SAMPLE / "recon.toml", tmp_path, "--cluster", "local:2",
                  "--buckets", "3", "--cluster-storage", f"file://{storage}")  # fmt: skip
    assert_same_answer(single_sample, cluster)
    assert list(storage.iterdir()) == []  # the run's exchange folder is gone


def test_a_scheduler_that_cannot_be_reached_is_one_line_naming_it(tmp_path):
    out = tmp_path / "out"
    done = recon_cli(
        "run", "--quiet", "--data-dir", str(SAMPLE / "data"), "--out", str(out),
        "--store", str(tmp_path / "store.duckdb"), "--config", str(SAMPLE / "recon.toml"),
        "--cluster", "tcp://127.0.0.1:9", DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s",
    )  # fmt: skip
    assert done.returncode == ExitCode.FAILED
    (line,) = done.stderr.strip().splitlines()
    assert "cannot use the Dask cluster tcp://127.0.0.1:9" in line
    assert not (out / "exceptions.csv").exists()
