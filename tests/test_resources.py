"""The working database's memory: bounded by default, and what was picked is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recon import resources
from recon.cli import main

GB = 1000**3
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture
def machine(monkeypatch):
    """A machine of `memory` bytes and `cores` cores."""

    def make(memory: int, cores: int) -> None:
        monkeypatch.setattr(resources, "visible_memory", lambda: memory)
        monkeypatch.setattr(resources.os, "cpu_count", lambda: cores)

    return make


def test_without_a_limit_each_thread_gets_one_gb(machine):
    machine(24 * GB, 2)
    chosen = resources.choose(None, None)
    assert (chosen.memory_limit, chosen.threads) == ("2000MB", 2)
    assert chosen.chosen_by.startswith("automatic")


def test_the_automatic_limit_is_at_most_a_quarter_of_the_memory(machine):
    machine(8 * GB, 16)
    assert resources.choose(None, None).memory_limit == "2000MB"


def test_the_automatic_limit_is_at_least_one_gb(machine):
    machine(2 * GB, 1)
    assert resources.choose(None, None).memory_limit == "1000MB"


def test_configured_threads_decide_the_automatic_limit(machine):
    machine(64 * GB, 32)
    assert resources.choose(None, 3).memory_limit == "3000MB"


def test_a_configured_limit_is_kept_and_said_so(machine):
    machine(24 * GB, 2)
    chosen = resources.choose("5GB", None)
    assert (chosen.memory_limit, chosen.chosen_by) == ("5GB", "memory_limit in the configuration")


def test_summary_json_says_what_the_run_used(tmp_path):
    out = tmp_path / "out"
    code = main(
        ["run", "--data-dir", str(SAMPLE / "data"), "--config", str(SAMPLE / "recon.toml"),
         "--out", str(out), "--store", str(tmp_path / "s.duckdb")]
    )  # fmt: skip
    assert code == 1
    used = json.loads((out / "summary.json").read_text())["resources"]
    assert used["memory_limit"].endswith("MB")
    assert used["threads"] >= 1
    assert used["chosen_by"].startswith("automatic")
    assert isinstance(used["spill_peak_bytes"], int)
    assert used["spill_folder"]
