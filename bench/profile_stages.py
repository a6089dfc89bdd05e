"""Where a recon run spends its time: every SQL statement timed, the slowest explained.

    .venv/bin/python bench/profile_stages.py --transfers 10000000
    .venv/bin/python bench/profile_stages.py --transfers 1000000 --explain 0.2

Runs `recon.pipeline.run_reconciliation` in this process on a generated Parquet day (cached
under bench/data) with every `run_statements` and every `con.execute` of the working
database timed, then prints the statements by time, with the step they ran in (read, find,
keep, remedies, publish). With `--explain SECONDS` DuckDB's profiler is on (what EXPLAIN
ANALYZE shows, each operator's time and rows) and the slowest operators of every statement
slower than SECONDS are written to bench/results/profile-<size>-plans.txt (what
docs/benchmarks.md quotes). Not a test; one run at a time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULTS, dataset

TIMES: list[tuple[str, str, float]] = []  # (step, statement head, seconds)
PLANS: list[tuple[float, str, str, str]] = []  # (seconds, step, head, DuckDB's profile)
PROFILE: dict = {}  # with --explain: the profile file and the threshold
STEP = ["setup"]


def _head(sql: str) -> str:
    text = " ".join(line.strip() for line in sql.strip().splitlines() if line.strip())
    return re.sub(r"\s+", " ", text)[:110]


def operators(profile: dict, top: int = 6) -> str:
    """The `top` operators of DuckDB's JSON profile by their own time, with their rows."""
    found: list[tuple[float, str, int]] = []

    def walk(node: dict) -> None:
        extra = node.get("extra_info") or {}
        what = " ".join(
            str(extra[k]) for k in ("Join Type", "Conditions", "Groups", "Table") if extra.get(k)
        )
        label = f"{node.get('name', '')} {what}".strip()[:120]
        found.append(
            (float(node.get("timing") or 0), label, int(node.get("intermediate_rows") or 0))
        )
        for child in node.get("children") or []:
            walk(child)

    for root in profile.get("operator") or []:
        walk(root)
    found.sort(key=lambda f: -f[0])
    return "\n".join(f"    {t:6.2f}s {rows:>12,} rows  {label}" for t, label, rows in found[:top])


class TimedConnection:
    """Proxy of a DuckDB connection that times each execute (all other attributes pass)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql, *args, **kwargs):
        started = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        seconds = time.perf_counter() - started
        TIMES.append((STEP[0], _head(sql), seconds))
        if PROFILE and seconds >= PROFILE["min_seconds"] and PROFILE["file"].exists():
            tree = json.loads(PROFILE["file"].read_text(encoding="utf-8", errors="replace"))
            PLANS.append((seconds, STEP[0], _head(sql), operators(tree)))
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._con.__exit__(*exc)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transfers", type=int, default=1_000_000)
    ap.add_argument("--memory-limit", help="as recon.toml's memory_limit (default: recon's)")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--top", type=int, default=25, help="statements to list (25)")
    ap.add_argument(
        "--explain",
        type=float,
        metavar="SECONDS",
        help="profile every statement slower than SECONDS (EXPLAIN ANALYZE's operators) into"
        " bench/results/profile-<size>-plans.txt",
    )
    args = ap.parse_args()

    root = dataset(args.transfers, "parquet")
    from dataclasses import replace

    from recon import pipeline
    from recon.config import load_config

    config = load_config(root / "recon.toml")
    if args.memory_limit:
        config = replace(config, memory_limit=args.memory_limit)
    if args.threads:
        config = replace(config, threads=args.threads)

    opened = pipeline.open_work_db

    def timed_open(*a, **kw):
        con = opened(*a, **kw)
        if PROFILE:
            con.execute("SET enable_profiling = 'json'")
            con.execute("SET profiling_output = $f", {"f": str(PROFILE["file"])})
        return TimedConnection(con)

    pipeline.open_work_db = timed_open
    original_timed = pipeline._timed

    from contextlib import contextmanager

    @contextmanager
    def step_timer(timings, name, say):
        STEP[0] = name
        with original_timed(timings, name, say):
            yield

    pipeline._timed = step_timer
    with tempfile.TemporaryDirectory(prefix="recon-profile-") as tmp:
        if args.explain is not None:
            PROFILE.update(file=Path(tmp) / "profile.txt", min_seconds=args.explain)
        started = time.perf_counter()
        result = pipeline.run_reconciliation(
            root / "data", Path(tmp) / "out", config, store_path=Path(tmp) / "s.duckdb"
        )
        total = time.perf_counter() - started
    print(
        f"{args.transfers:,} transfers: exit {int(result.exit_code)} in {total:.1f}s;"
        f" step timings {result.summary.timings}"
    )
    by_step: dict[str, float] = defaultdict(float)
    for step, _, seconds in TIMES:
        by_step[step] += seconds
    print("SQL seconds by step:", {k: round(v, 2) for k, v in by_step.items()})
    lines = [
        f"{s:>7.2f}s  {step:<6} {head}"
        for step, head, s in sorted(TIMES, key=lambda t: -t[2])[: args.top]
    ]
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"profile-{args.transfers}.txt").write_text("\n".join(lines) + "\n")
    if PLANS:
        plans = RESULTS / f"profile-{args.transfers}-plans.txt"
        plans.write_text(
            "\n".join(
                f"{seconds:6.2f}s {step}: {head}\n{tree}"
                for seconds, step, head, tree in sorted(PLANS, key=lambda p: -p[0])
            ),
            encoding="utf-8",
        )
        print(f"operator profiles of {len(PLANS)} statement(s): {plans}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
