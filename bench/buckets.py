"""Whole-day against bucketed findings on one working database (issue 11).

    .venv/bin/python bench/buckets.py --transfers 10000000 --buckets 1 5 8

Reads a generated Parquet day (cached under bench/data) once into a working database at
recon's default memory limit, then runs the findings once per bucket count, printing each
run's time, the spill it left and whether its findings equal the first run's row by row.
Not a test; one run at a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import dataset

from recon import pipeline, resources
from recon.config import load_config
from recon.findings import find_breaks
from recon.findings.buckets import BucketPlan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--buckets", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--memory-limit", default=None)
    args = parser.parse_args()
    day = dataset(args.transfers, "parquet")
    config = load_config(day / "recon.toml")
    chosen = resources.choose(args.memory_limit or config.memory_limit, config.threads)
    with tempfile.TemporaryDirectory(prefix="recon-bench-spill-") as spill:
        con = pipeline.connect(
            memory_limit=chosen.memory_limit, threads=chosen.threads, temp_directory=spill
        )
        con.execute("SET preserve_insertion_order = false")
        start = time.perf_counter()
        ingested = pipeline.read_and_validate(con, day / "data", config)
        print(f"read {time.perf_counter() - start:.1f} s at {chosen.memory_limit}", flush=True)
        params = pipeline.detection_params(config, ingested)
        first = None
        for buckets in args.buckets:
            start = time.perf_counter()

            def say(message: str, start: float = start) -> None:
                print(f"  {time.perf_counter() - start:7.1f} s  {message}", flush=True)

            plan = BucketPlan(
                buckets=buckets,
                memory_limit=chosen.memory_limit,
                threads=chosen.threads,
                progress=say,
            )
            find_breaks(con, params, plan=plan)
            took = time.perf_counter() - start
            rows = con.sql("SELECT * FROM findings ORDER BY exception_id").fetchall()
            first = rows if first is None else first
            print(
                f"buckets {buckets}: find {took:.1f} s, {len(rows)} findings,"
                f" same as the first: {rows == first}",
                flush=True,
            )


if __name__ == "__main__":
    main()
