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


def _parquet(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"entry_id": [f"E{i}" for i in range(rows)]}), path)


def test_a_day_far_beyond_the_memory_limit_and_the_spill_room_gets_its_tables_on_disk(
    tmp_path,
):
    _parquet(tmp_path / "ledger.parquet", 1000)  # 1000 rows of about ROW_BYTES each
    estimate = 1000 * resources.ROW_BYTES
    limit = f"{estimate // (resources.DISK_BEYOND + 1)}B"
    free = resources.SPILL_ROOM * estimate - 1
    placed = resources.place("auto", tmp_path, limit, free_bytes=free)
    assert placed.where == "disk"
    assert placed.estimate_bytes == estimate
    assert placed.chosen_by.startswith("automatic")


def test_a_day_beyond_the_memory_limit_spills_from_memory_while_the_disk_has_room(tmp_path):
    """Spilling is faster than writing every table compressed (10M: 82.5 s against 104.6 s)."""
    _parquet(tmp_path / "ledger.parquet", 1000)
    estimate = 1000 * resources.ROW_BYTES
    limit = f"{estimate // (resources.DISK_BEYOND + 1)}B"
    placed = resources.place("auto", tmp_path, limit, free_bytes=resources.SPILL_ROOM * estimate)
    assert placed.where == "memory"
    assert "free to spill to" in placed.chosen_by


def test_a_day_that_fits_keeps_its_working_tables_in_memory(tmp_path):
    _parquet(tmp_path / "ledger.parquet", 1000)
    (tmp_path / "channel.csv").write_text("x" * 1000)
    expected = 1000 * resources.ROW_BYTES + int(1000 * resources.TEXT_BYTES)
    limit = f"{expected // resources.DISK_BEYOND}B"  # exactly at the threshold: still memory
    placed = resources.place("auto", tmp_path, limit)
    assert (placed.where, placed.estimate_bytes) == ("memory", expected)


def test_a_damaged_parquet_footer_counts_by_its_size(tmp_path):
    (tmp_path / "ledger.parquet").write_bytes(b"PAR1 not really")
    assert resources.estimate_working_bytes(tmp_path) == int(15 * resources.TEXT_BYTES)


@pytest.mark.parametrize("setting", ["memory", "disk"])
def test_a_configured_place_is_kept_whatever_the_size(tmp_path, setting):
    _parquet(tmp_path / "ledger.parquet", 1000)
    placed = resources.place(setting, tmp_path, "1B" if setting == "memory" else "1TB")
    assert (placed.where, placed.chosen_by) == (setting, "working_db in the configuration")


def test_working_tables_on_disk_give_the_same_findings_and_leave_no_file(tmp_path):
    outs = {}
    for where in ("memory", "disk"):
        config = tmp_path / f"{where}.toml"
        config.write_text(
            f'working_db = "{where}"\n' + (SAMPLE / "recon.toml").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        out = tmp_path / f"out-{where}"
        code = main(
            ["run", "--data-dir", str(SAMPLE / "data"), "--config", str(config),
             "--out", str(out), "--store", str(tmp_path / f"{where}.duckdb")]
        )  # fmt: skip
        assert code == 1
        outs[where] = out
    used = json.loads((outs["disk"] / "summary.json").read_text())["resources"]
    assert (used["working_db"], used["working_db_chosen_by"]) == (
        "disk",
        "working_db in the configuration",
    )
    assert used["working_db_peak_bytes"] > 0
    assert used["disk_peak_bytes"] >= used["working_db_peak_bytes"]
    assert not Path(used["spill_folder"]).exists()  # the file went with its folder
    memory = json.loads((outs["memory"] / "summary.json").read_text())["resources"]
    assert (memory["working_db"], memory["working_db_peak_bytes"]) == ("memory", 0)
    for name in ("exceptions.csv", "corrections.csv", "compensation.csv", "quarantine.csv"):
        assert _without_run_ids(outs["disk"] / name) == _without_run_ids(outs["memory"] / name)


def _without_run_ids(path: Path) -> list[str]:
    """A CSV's lines with the run's ids and the times it ran at blanked (the business day is
    2024; everything the run stamps is now)."""
    import re

    stamps = r"run-\d{8}T\d{6}Z-[0-9a-f]+|(?!2024-)\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)"
    return sorted(re.sub(stamps, "", path.read_text(encoding="utf-8")).splitlines())
