#!/usr/bin/env python3
"""End-to-end benchmark: `recon run` against a bare DuckDB query and a pandas script.

    python bench/end_to_end.py                                   # 1M and 10M, 2GB and 16GB
    python bench/end_to_end.py --sizes 1000000 --memory-limits 2GB
    python bench/end_to_end.py --sizes 50000 --memory-limits 1GB

For each size, on the same generated Parquet day (bench/data, reused between runs), in the
same run: `recon run` (the CLI as a subprocess) and bench/bare_duckdb.py (the same checks as
one hand-written DuckDB script), each at every DuckDB memory limit of --memory-limits, and
bench/pandas_baseline.py (the same checks in plain pandas) once. Each is timed wall-clock
with the peak RSS of its process tree, and its findings are compared with the day's answer
key, so all did the same work.

Reported per size: recon/bare at each limit where both finished (target <= 1.5: a ratio only
means something under the same memory), the strict figure recon at the first (bounded) limit
over the fastest bare run at any limit, pandas/recon with recon at the first limit (target
>= 10), and recon's peak RSS at the largest size under the first limit (target < 3 GB).
pandas is stopped past --pandas-timeout or --pandas-max-rss-gb; the output says so.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
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


def recon_command() -> list[str]:
    exe = Path(sys.executable).with_name("recon")
    return [str(exe)] if exe.exists() else [shutil.which("recon") or "recon"]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument(
        "--memory-limits",
        nargs="+",
        default=["2GB", "16GB"],
        help="DuckDB memory limits to run recon and bare DuckDB at; the first is recon's "
        "bounded setting (RSS target, pandas ratio). Default: 2GB 16GB (at 10M transfers "
        "the bare query needs more than 2GB)",
    )
    ap.add_argument("--threads", type=int, help="DuckDB threads for recon and bare DuckDB")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--pandas-timeout", type=float, default=3600.0, help="seconds (3600)")
    ap.add_argument("--pandas-max-rss-gb", type=float, default=20.0, help="kill above (20)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="per recon/bare run (3600)")
    a = ap.parse_args()

    rows, results = [], []

    def record(size: int, m: Measurement, out: Path, truth: Counter) -> None:
        """Score one finished run against the answer key, keep and print it at once."""
        # recon exits 1 when it has findings; a baseline's exit 1 is a Python error
        ok = m.returncode in ((0, 1) if m.label.startswith("recon") else (0,)) and not m.stopped
        score = agreement(truth, findings_of(out)) if ok else {}
        results.append({"size": size, "measurement": m, "agreement": score})
        status = "ok" if ok else (m.stopped or f"exit {m.returncode}")
        rows.append(
            [f"{size:,}", m.label, m.seconds, m.peak_rss_mb, status, score.get("found", "-"),
             score.get("precision", "-"), score.get("recall", "-")]
        )  # fmt: skip
        detail = f"recall {score['recall']}" if ok else (m.stopped or m.output_tail)
        line = f"  {m.label}: {m.seconds:.1f} s, peak RSS {m.peak_rss_mb:,.0f} MB, {status}"
        print(f"{line}, {detail}", flush=True)

    for size in a.sizes:
        root = dataset(size, "parquet", a.seed)
        data, truth = root / "data", findings_of(root / "truth" / "truth.csv")
        with tempfile.TemporaryDirectory(prefix="recon-bench-") as tmp:
            work = Path(tmp)
            for limit in a.memory_limits:
                out = work / f"recon-{limit}"
                cmd = [
                    *recon_command(), "run", "--data-dir", str(data), "--out", str(out),
                    "--store", str(work / f"store-{limit}.duckdb"),
                    "--config", str(root / "recon.toml"), "--memory-limit", limit, "--quiet",
                ]  # fmt: skip
                if a.threads:
                    cmd += ["--threads", str(a.threads)]
                print(f"[{size:,}] recon run at {limit} ...", flush=True)
                m = measure(f"recon@{limit}", cmd, timeout=a.timeout)
                record(size, m, out / "exceptions.csv", truth)
                bare = [
                    sys.executable, str(BENCH / "bare_duckdb.py"), "--data-dir", str(data),
                    "--cutoff", CUTOFF, "--out", str(work / f"bare-{limit}.csv"),
                    "--memory-limit", limit,
                ]  # fmt: skip
                if a.threads:
                    bare += ["--threads", str(a.threads)]
                print(f"[{size:,}] bare duckdb at {limit} ...", flush=True)
                m = measure(f"bare_duckdb@{limit}", bare, timeout=a.timeout)
                record(size, m, work / f"bare-{limit}.csv", truth)
            if not a.skip_pandas:
                pandas = [
                    sys.executable, str(BENCH / "pandas_baseline.py"), "--data-dir", str(data),
                    "--cutoff", CUTOFF, "--out", str(work / "pandas.csv"),
                ]  # fmt: skip
                print(f"[{size:,}] pandas ...", flush=True)
                m = measure(
                    "pandas",
                    pandas,
                    timeout=a.pandas_timeout,
                    max_rss_mb=a.pandas_max_rss_gb * 1024,
                )
                record(size, m, work / "pandas.csv", truth)
    print()
    print_table(
        ["transfers", "tool", "wall s", "peak RSS MB", "status", "findings", "precision", "recall"],
        rows,
    )
    ratios = summarise(results, a.memory_limits)
    print()
    for line in ratios["lines"]:
        print(line)
    path = save(
        "end_to_end",
        {"memory_limits": a.memory_limits, "sizes": a.sizes, "runs": results, "ratios": ratios},
    )
    print(f"\nresults: {path}")


def summarise(results: list[dict], limits: list[str]) -> dict:
    """The ratios the targets are set on, per size, and what they rest on."""
    done: dict[int, dict[str, float]] = {}
    rss: dict[int, float] = {}
    bounded = f"recon@{limits[0]}"
    for r in results:
        m = r["measurement"]
        if r["agreement"] and not m.stopped:
            done.setdefault(r["size"], {})[m.label] = m.seconds
            if m.label == bounded:
                rss[r["size"]] = m.peak_rss_mb
    out: dict = {"per_size": {}, "lines": []}
    for size, t in sorted(done.items()):
        entry = {}
        for limit in limits:
            recon, bare = t.get(f"recon@{limit}"), t.get(f"bare_duckdb@{limit}")
            if recon and bare:
                entry[f"recon_over_bare@{limit}"] = round(recon / bare, 2)
        bares = [v for k, v in t.items() if k.startswith("bare_duckdb@")]
        if bounded in t and bares:
            entry[f"recon@{limits[0]}_over_fastest_bare"] = round(t[bounded] / min(bares), 2)
        if bounded in t and "pandas" in t:
            entry["pandas_over_recon"] = round(t["pandas"] / t[bounded], 2)
        out["per_size"][size] = entry
        parts = [f"{k} = {v}" for k, v in entry.items()]
        out["lines"].append(f"{size:,} transfers: " + ", ".join(parts or ["no complete pair"]))
        failed = [f"bare_duckdb@{x}" for x in limits if f"bare_duckdb@{x}" not in t]
        if failed:
            out["lines"].append(f"  did not finish at {size:,}: {', '.join(failed)}")
    sizes = sorted({r["size"] for r in results})
    if sizes and "pandas" not in done.get(sizes[-1], {}):
        finished = [s for s in sizes if "pandas" in done.get(s, {})]
        out["lines"].append(
            f"pandas did not finish {sizes[-1]:,} transfers on this machine; "
            + (
                f"largest size it finished: {finished[-1]:,}"
                if finished
                else "it finished none of the sizes (or was skipped)"
            )
        )
    if sizes and sizes[-1] in rss:
        out["peak_rss_gb_recon_largest"] = round(rss[sizes[-1]] / 1024, 2)
        out["lines"].append(
            f"recon peak RSS at {sizes[-1]:,} transfers with memory_limit {limits[0]}: "
            f"{rss[sizes[-1]] / 1024:.2f} GB (target < 3 GB)"
        )
    out["lines"].append(
        "targets: recon_over_bare <= 1.5 (same memory limit), pandas_over_recon >= 10"
    )
    return out


if __name__ == "__main__":
    main()
