"""Fault matrix: a run killed (SIGKILL) at any point leaves the store and OUT all-before or
all-after, never half of each; a run that fails while publishing changes nothing.

Each case reconciles day 1 (run A, landed), then kills run B (day 1 plus its late credits,
which heal cases) at one point, and compares the store and OUT with what A left.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from recon.cli import main
from recon.exit_codes import ExitCode
from recon.faults import PAUSE_ENV, PAUSED_MARKER
from recon.publish import landing
from recon.sample.generate import GenerationResult, generate

BEFORE_COMMIT = ("read", "find", "keep", "publish", "before-commit")
AFTER_COMMIT = ("commit", "between-renames")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GenerationResult:
    root = tmp_path_factory.mktemp("faults")
    return generate(
        root / "day", transfers=300, seed=5, business_date=date(2024, 3, 15), late_credits=True
    )


@pytest.fixture
def landed_a(generated: GenerationResult, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Run A landed; returns (data folder holding B's input, OUT, store)."""
    data = Path(shutil.copytree(generated.data_dir, tmp_path / "data"))
    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    assert main(run_args(generated, data, out, store)) == ExitCode.FINDINGS
    for late in (generated.root / "late").iterdir():
        shutil.copy(late, data / late.name)
    return data, out, store


def run_args(generated: GenerationResult, data: Path, out: Path, store: Path) -> list[str]:
    return ["run", "--quiet", "--data-dir", str(data), "--out", str(out),
            "--store", str(store), "--config", str(generated.config_path)]  # fmt: skip


def store_state(store: Path) -> tuple:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return (
            con.execute("SELECT run_id, outcome FROM runs ORDER BY ALL").fetchall(),
            con.execute(
                "SELECT exception_id, status, last_seen_run FROM exceptions ORDER BY ALL"
            ).fetchall(),
            con.execute("SELECT count(*) FROM events").fetchall(),
        )
    finally:
        con.close()


def out_state(out: Path) -> dict[str, str]:
    if not out.exists():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def kill_at(point: str, args: list[str]) -> None:
    """Start `recon run`, wait until it pauses at `point`, kill it with SIGKILL."""
    env = {**os.environ, PAUSE_ENV: f"{point}:60"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "recon.cli", *args], stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith(PAUSED_MARKER):
                break
        else:
            pytest.fail(f"the run ended (exit {proc.wait()}) without pausing at {point}")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)


def recorded(store: Path):
    def was_recorded(run_id: str) -> bool:
        con = duckdb.connect(str(store), read_only=True)
        try:
            return bool(
                con.execute(
                    "SELECT count(*) FROM runs WHERE run_id = $r AND outcome = 'OK'", {"r": run_id}
                ).fetchone()[0]
            )
        finally:
            con.close()

    return was_recorded


@pytest.mark.parametrize("point", BEFORE_COMMIT)
def test_a_kill_before_the_commit_leaves_store_and_out_as_they_were(generated, landed_a, point):
    data, out, store = landed_a
    before = (store_state(store), out_state(out))
    kill_at(point, run_args(generated, data, out, store))
    assert store_state(store) == before[0]
    # OUT as it was, or (killed right before the commit) moved aside for the new one, which
    # the next look at OUT puts back; what the killed run staged is thrown away
    assert out_state(out) in (before[1], {})
    landing.recover(out, recorded(store))
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".out.")) == []
    assert out_state(out) == before[1]


@pytest.mark.parametrize("point", AFTER_COMMIT)
def test_a_kill_after_the_commit_lands_the_outputs_on_recovery(generated, landed_a, point):
    data, out, store = landed_a
    store_before, out_before = store_state(store), out_state(out)
    kill_at(point, run_args(generated, data, out, store))
    runs_after = store_state(store)[0]
    (run_b,) = {r for r, _ in runs_after} - {r for r, _ in store_before[0]}
    assert (run_b, "OK") in runs_after  # the store is all-after
    assert out_state(out) in (out_before, {})  # OUT not yet replaced (or between renames)

    landing.recover(out, recorded(store))

    assert (out / landing.MARKER).read_text(encoding="utf-8").strip() == run_b
    assert out_state(out) != out_before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".out.")) == []


def test_a_failure_while_publishing_changes_no_finding(generated, landed_a, monkeypatch):
    data, out, store = landed_a
    before = (store_state(store), out_state(out))

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("recon.publish.write_outputs", broken)
    assert main(run_args(generated, data, out, store)) == ExitCode.FAILED
    runs, exceptions, events = store_state(store)
    assert (exceptions, events) == before[0][1:]  # no finding changed; the failure is logged
    assert sorted(outcome for _, outcome in runs) == ["FAILED", "OK"]
    assert out_state(out) == before[1]
    assert (out.parent / "out.failed" / "summary.json").exists()
    monkeypatch.undo()
    # the rerun that works then does the healing the failed run did not
    assert main(run_args(generated, data, out, store)) == ExitCode.FINDINGS
    assert '"healed": []' not in (out / "summary.json").read_text(encoding="utf-8")
    assert not (out.parent / "out.failed").exists()


def test_running_out_of_memory_names_the_step_and_the_setting_to_change(
    generated, landed_a, monkeypatch, capsys
):
    data, out, store = landed_a
    before = (store_state(store), out_state(out))

    def exhausted(*_args, **_kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block\n\nhints")

    monkeypatch.setattr("recon.pipeline.find_breaks", exhausted)
    assert main([*run_args(generated, data, out, store), "--memory-limit", "1GB"]) == 2
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert "out of memory in the find step within memory_limit 1GB" in said
    assert "raise memory_limit" in said
    assert "failed to pin block" in said
    assert out_state(out) == before[1]
    assert store_state(store)[1:] == before[0][1:]
