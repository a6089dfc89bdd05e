#!/usr/bin/env python3
"""Issue 11's benchmark: recon with default settings against the floor scan and the bare query.

    python bench/scale.py                       # 1M and 10M transfers
    python bench/scale.py --sizes 1000000       # a quicker look
    python bench/scale.py --with-100m           # also 100M (4.7 GB of Parquet parts; the run
                                                # took 40.5 GB of disk at its peak: ~50 GB free)

For each size, on the same generated Parquet day (bench/data, reused between runs) and in the
same run, each as a subprocess whose whole process tree is timed and its peak RSS sampled:

- the floor: bench/floor_scan.py, DuckDB decoding every column of every file once;
- bare DuckDB: bench/bare_duckdb.py (the contract's checks as one hand-written script, no
  validation, store or outputs) at the memory limit recon picks by default;
- recon: `recon run` with default settings (no --memory-limit: the limit recon picks for
  this machine, recon/resources.py), end to end: read + validate + all findings + store +
  outputs; its spill and the disk it used come from summary.json.

recon's and the bare query's findings are scored against the generator's answer key, so a
fast result that skipped work shows. Printed: a table, then per size recon/floor (target
<= 10 at 10M), bare/floor, recon/bare, recon's peak RSS (target <= 3 GB at 10M) and at 100M
its time against the 10M run (target <= 12).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import (
    BENCH,
    CUTOFF,
    Measurement,
    agreement,
    dataset,
    findings_of,
    measure,
    print_table,
    save,
)

sys.path.insert(0, str(BENCH.parent))
from recon.resources import choose

HUNDRED_MILLION = 100_000_000


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--with-100m", action="store_true", help="also 100M transfers (opt-in)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=4 * 3600.0, help="per run (4 h)")
    ap.add_argument("--skip-bare", action="store_true", help="only the floor and recon")
    ap.add_argument(
        "--bare-at-100m",
        action="store_true",
        help="run the bare query at 100M too (by default not: it runs out of memory at 10M"
        " already, after a minute; at 100M it would take the better part of an hour to)",
    )
    a = ap.parse_args()
    sizes = [*a.sizes, *([HUNDRED_MILLION] if a.with_100m else [])]
    limit = choose(None, None).memory_limit
    exe = str(Path(sys.executable).with_name("recon"))
    rows: list[list[object]] = []
    results: list[dict] = []

    def keep(size: int, m: Measurement, score: dict, extra: dict | None = None) -> None:
        results.append({"size": size, "measurement": m, "agreement": score, **(extra or {})})
        rows.append(
            [f"{size:,}", m.label, m.seconds, m.peak_rss_mb, m.returncode if not m.stopped
             else m.stopped, score.get("precision", "-"), score.get("recall", "-")]
        )  # fmt: skip
        print(f"  {m.label}: {m.seconds:.1f} s, peak RSS {m.peak_rss_mb:,.0f} MB", flush=True)

    for size in sizes:
        root = dataset(size, "parquet", a.seed, parts=10 if size >= HUNDRED_MILLION else 1)
        data, truth = root / "data", findings_of(root / "truth" / "truth.csv")
        with tempfile.TemporaryDirectory(prefix="recon-scale-", dir=BENCH / "data") as tmp:
            work = Path(tmp)
            print(f"[{size:,}] floor scan ...", flush=True)
            floor = [sys.executable, str(BENCH / "floor_scan.py"), "--data-dir", str(data)]
            keep(size, measure("floor", floor, timeout=a.timeout), {})
            if not a.skip_bare and (size < HUNDRED_MILLION or a.bare_at_100m):
                print(f"[{size:,}] bare duckdb at {limit} ...", flush=True)
                out = work / "bare.csv"
                bare = [
                    sys.executable, str(BENCH / "bare_duckdb.py"), "--data-dir", str(data),
                    "--cutoff", CUTOFF, "--out", str(out), "--memory-limit", limit,
                ]  # fmt: skip
                m = measure("bare_duckdb", bare, timeout=a.timeout)
                keep(size, m, agreement(truth, findings_of(out)) if m.returncode == 0 else {})
            print(f"[{size:,}] recon run with default settings ...", flush=True)
            out = work / "recon"
            cmd = [
                exe, "run", "--data-dir", str(data), "--out", str(out), "--quiet",
                "--store", str(work / "store.duckdb"), "--config", str(root / "recon.toml"),
            ]  # fmt: skip
            m = measure("recon", cmd, timeout=a.timeout)
            ok = m.returncode in (0, 1) and not m.stopped
            extra: dict = {"data_bytes": folder_bytes(data)}
            if ok:
                summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
                extra |= {
                    "resources": summary.get("resources"),
                    "timings": summary.get("timings"),
                    "store_bytes": (work / "store.duckdb").stat().st_size,
                    "output_bytes": folder_bytes(out),
                }
            keep(
                size, m, agreement(truth, findings_of(out / "exceptions.csv")) if ok else {}, extra
            )
    print()
    print_table(["transfers", "run", "wall s", "peak RSS MB", "exit", "precision", "recall"], rows)
    lines = ratios(results)
    print()
    print("\n".join(lines))
    path = save("scale", {"memory_limit": limit, "sizes": sizes, "runs": results, "lines": lines})
    print(f"\nresults: {path}")


def ratios(results: list[dict]) -> list[str]:
    """recon and bare over the floor, recon over bare, RSS, disk, and 100M over 10M."""
    by: dict[int, dict[str, dict]] = {}
    for r in results:
        by.setdefault(r["size"], {})[r["measurement"].label] = r
    lines = []
    for size, runs in sorted(by.items()):
        floor, recon, bare = (runs.get(k) for k in ("floor", "recon", "bare_duckdb"))
        parts = []
        exact = (
            recon
            and recon["agreement"].get("precision") == 1.0
            and (recon["agreement"].get("recall") == 1.0)
        )
        if floor and recon:
            parts.append(
                f"recon/floor = {recon['measurement'].seconds / floor['measurement'].seconds:.1f}"
            )
        if floor and bare and bare["agreement"]:
            parts.append(
                f"bare/floor = {bare['measurement'].seconds / floor['measurement'].seconds:.1f}"
            )
        if recon and bare and bare["agreement"]:
            parts.append(
                f"recon/bare = {recon['measurement'].seconds / bare['measurement'].seconds:.2f}"
            )
        for name, run, codes in (("bare DuckDB", bare, (0,)), ("recon", recon, (0, 1))):
            if run and run["measurement"].returncode not in codes:
                tail = run["measurement"].output_tail
                lines_out = tail.strip().splitlines()
                why = "out of memory" if "memory" in tail.lower() else (
                    lines_out[-1] if lines_out else "no output"
                )  # fmt: skip
                parts.append(f"{name} did not finish ({why})")
        if recon:
            parts.append(f"recon peak RSS {recon['measurement'].peak_rss_mb / 1024:.2f} GB")
            used = recon.get("resources") or {}
            if used.get("working_db"):
                parts.append(f"working tables in {used['working_db']}")
            if used.get("spill_peak_bytes") is not None:
                parts.append(f"spilled {used['spill_peak_bytes'] / 1e9:.1f} GB")
            disk = recon["measurement"].disk_peak_mb
            parts.append(f"disk used at the peak {disk * 2**20 / 1e9:.1f} GB (spill, file, store)")
            parts.append("answer key exact" if exact else "ANSWER KEY NOT MATCHED")
        lines.append(f"{size:,} transfers: " + ", ".join(parts))
    ten, hundred = by.get(10_000_000, {}).get("recon"), by.get(HUNDRED_MILLION, {}).get("recon")
    if ten and hundred:
        growth = hundred["measurement"].seconds / ten["measurement"].seconds
        lines.append(f"100M/10M recon time = {growth:.1f} (target <= 12)")
    lines.append("targets at 10M: recon/floor <= 10, recon peak RSS <= 3 GB, answer key exact")
    return lines


if __name__ == "__main__":
    main()
