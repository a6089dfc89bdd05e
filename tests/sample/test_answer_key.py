"""A generated day reconciles to its own answer key through `recon run` (all stages)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.sample.generate import generate


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("fmt", "encoding"), [("csv", "utf-8"), ("csv", "gb18030"), ("parquet", "utf-8")]
)
def test_recon_run_finds_exactly_the_injected_breaks(
    tmp_path: Path, fmt: str, encoding: str
) -> None:
    day = generate(
        tmp_path / "day",
        transfers=600,
        seed=8,
        business_date=date(2024, 3, 15),
        fmt=fmt,
        encoding=encoding,
        parts=2,
        exact_duplicates=6,
        bad_rows=4,
    )
    out = tmp_path / "out"
    code = main(
        ["run", "--data-dir", str(day.data_dir), "--out", str(out), "--quiet",
         "--config", str(day.config_path), "--store", str(tmp_path / "store.duckdb")]
    )  # fmt: skip
    assert code == 1

    def key(r: dict[str, str]) -> tuple[str, str, str]:
        return (r["type"], r["subtype"], r["txn_ref"])

    assert Counter(map(key, read(out / "exceptions.csv"))) == Counter(
        map(key, read(day.truth_dir / "truth.csv"))
    )
    truth = json.loads((day.truth_dir / "truth.json").read_text("utf-8"))
    paid = Counter()
    for row in read(out / "compensation.csv"):
        paid[row["customer_id"]] += Decimal(row["compensation"])
    assert {c: f"{v:.2f}" for c, v in paid.items() if v} == truth["compensation"]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    for source, counts in truth["rows"].items():
        assert {k: summary["rows"][source][k] for k in counts} == counts


def test_rerun_with_the_late_credits_heals_what_the_late_answer_key_says(tmp_path: Path) -> None:
    day = generate(
        tmp_path / "day", transfers=600, seed=4, business_date=date(2024, 3, 15), late_credits=True
    )
    out, store = tmp_path / "out", tmp_path / "store.duckdb"
    args = ["run", "--data-dir", str(day.data_dir), "--out", str(out), "--quiet",
            "--config", str(day.config_path), "--store", str(store)]  # fmt: skip
    assert main(args) == 1
    for late in (day.root / "late").iterdir():
        shutil.copy(late, day.data_dir / late.name)
    assert main(args) == 1

    open_now = Counter(
        (r["type"], r["subtype"], r["txn_ref"])
        for r in read(out / "exceptions.csv")
        if r["status"] != "SELF_HEALED"
    )
    expected = Counter(
        (r["type"], r["subtype"], r["txn_ref"]) for r in read(day.root / "truth_late" / "truth.csv")
    )
    assert open_now == expected
    truth = json.loads((day.root / "truth_late" / "truth.json").read_text("utf-8"))
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert len(summary["healed"]) == len(truth["healed_txn_refs"]) > 0
