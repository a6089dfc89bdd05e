#!/usr/bin/env python3
"""The floor: DuckDB decoding every column of every Parquet file of a day once, nothing more.

    python bench/floor_scan.py --data-dir bench/data/parquet-1000000-s1/data

A hash of every value of every column (`max()` would be answered from the files' statistics
without decoding anything); whatever recon does on top of this (validation, findings, store,
outputs) is measured against it by bench/scale.py.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--memory-limit")
    ap.add_argument("--threads", type=int)
    a = ap.parse_args()
    con = duckdb.connect()
    if a.memory_limit:
        con.execute("SET memory_limit = $v", {"v": a.memory_limit})
    if a.threads:
        con.execute("SET threads = $v", {"v": a.threads})
    started = time.perf_counter()
    rows = 0
    for path in sorted(a.data_dir.glob("*.parquet")):
        rows += con.execute(
            "SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM read_parquet($p)", {"p": str(path)}
        ).fetchone()[0]
    print(f"{rows} rows decoded in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
