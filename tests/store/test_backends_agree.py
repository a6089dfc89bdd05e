"""The same days recorded in a DuckDB store and in a PostgreSQL store give the same exceptions:
the same ids, statuses, assignees, resolutions and versions, rerun after rerun (issue 13).

`recon run` end to end, on the sample day (rerun; rerun after an analyst resolved one) and on
two generated business days that reuse each other's entry ids.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recon.cli import main
from recon.store.actions import assign, resolve

from .backends import new_pg_store, read_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("days")
    for name, seed, date in (("day1", 7, "2024-03-15"), ("day2", 8, "2024-03-16")):
        assert main(["generate", "--out", str(root / name), "--transfers", "200",
                     "--seed", str(seed), "--date", date]) == 0  # fmt: skip
    return root / "day1", root / "day2"


def run(store: object, data: Path, config: Path, out: Path) -> int:
    return main(["run", "--quiet", "--data-dir", str(data), "--out", str(out),
                 "--store", str(store), "--config", str(config)])  # fmt: skip


def state(store: object) -> dict[str, tuple]:
    with read_store(store) as con:
        rows = con.execute(
            "SELECT exception_id, status, assignee, resolution_code, version, amount"
            " FROM exceptions ORDER BY exception_id"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def history(store: object, tmp: Path, two_days: tuple[Path, Path]) -> list[dict[str, tuple]]:
    """The store's exceptions after each step of the same sequence of runs and actions."""
    sample = (SAMPLE / "data", SAMPLE / "recon.toml")
    day1, day2 = two_days
    states = []
    assert run(store, *sample, tmp / "out1") == 1
    states.append(state(store))
    assert run(store, *sample, tmp / "out2") == 1
    states.append(state(store))
    first, second = sorted(states[-1])[:2]
    assign(store, first, to="ann", actor="lead")
    resolve(store, second, code="FALSE_POSITIVE", note="checked", actor="ann")
    assert run(store, *sample, tmp / "out3") == 1
    states.append(state(store))
    for n, day in enumerate((day1, day2, day1), start=4):
        assert run(store, day / "data", day / "recon.toml", tmp / f"out{n}") in (0, 1)
        states.append(state(store))
    return states


def test_reruns_give_the_same_ids_and_statuses_on_both_backends(pg_server, tmp_path, two_days):
    (tmp_path / "d").mkdir()
    (tmp_path / "p").mkdir()
    on_duckdb = history(tmp_path / "d" / "recon.duckdb", tmp_path / "d", two_days)
    on_pg = history(new_pg_store(pg_server), tmp_path / "p", two_days)
    assert on_pg == on_duckdb
    sample_once, sample_again, after_actions = on_duckdb[:3]
    assert len(sample_once) == 108
    assert sample_again == sample_once  # a rerun changes no id, status or version
    first, second = sorted(sample_once)[:2]
    assert after_actions[first][:2] == ("ASSIGNED", "ann")
    assert after_actions[second][0] == "RESOLVED"  # and the rerun that found it again kept it
    assert len(on_duckdb[-1]) > len(after_actions)  # the generated days added their own
