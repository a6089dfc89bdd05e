#!/usr/bin/env python3
"""Ingest benchmark: `recon.ingest.load_extracts` against a plain DuckDB `read_csv`.

    python bench/ingest.py                          # about 10M ledger rows (CSV)
    python bench/ingest.py --ledger-rows 100000 --repeat 3

On the same generated CSV day (bench/data, reused between runs), in the same run and each in
its own process: recon's read-and-validate of all four extracts (types, rules, quarantine,
exact duplicates, control totals) and a plain `CREATE TABLE AS SELECT * FROM read_csv(...)` of
the same files with DuckDB's type sniffing. Reports rows per second of each (all sources, and
the ledger's share) and the time ratio recon / plain read. Best of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _common import dataset, measure, print_table, save

LEDGER_ROWS_PER_TRANSFER = 1.93  # two legs, fewer for failed requests (measured on the generator)
SOURCES = ("ledger", "channel", "gateway", "invoices")


def one(kind: str, data_dir: Path, config_path: Path, memory_limit: str | None) -> dict:
    """Child process: run one ingest, print its timing as JSON."""
    from recon.config import load_config
    from recon.db import connect

    con = connect(memory_limit=memory_limit)
    started = time.perf_counter()
    if kind == "recon":
        from recon.ingest import load_extracts

        result = load_extracts(con, data_dir, load_config(config_path))
        rows = {s: c.read for s, c in result.counts.items()}
    else:
        rows = {}
        for source in SOURCES:
            files = sorted(str(p) for p in data_dir.glob(f"{source}*.csv"))
            con.execute(
                f"CREATE TABLE plain_{source} AS SELECT * FROM read_csv($files, header = true)",
                {"files": files},
            )
            rows[source] = int(con.sql(f"SELECT count(*) FROM plain_{source}").fetchall()[0][0])
    return {"seconds": time.perf_counter() - started, "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--ledger-rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory limit for both")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", choices=("recon", "plain"), help=argparse.SUPPRESS)
    ap.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(a.one, a.data_dir, a.config, a.memory_limit)))
        return

    transfers = round(a.ledger_rows / LEDGER_ROWS_PER_TRANSFER)
    root = dataset(transfers, "csv", a.seed)
    for f in sorted((root / "data").glob("*.csv")):  # warm the page cache for both sides
        with f.open("rb") as fh:
            while fh.read(1 << 24):
                pass
    best: dict[str, dict] = {}
    runs = []
    for _ in range(a.repeat):
        for kind in ("plain", "recon"):
            cmd = [
                sys.executable, __file__, "--one", kind, "--data-dir", str(root / "data"),
                "--config", str(root / "recon.toml"),
            ]  # fmt: skip
            if a.memory_limit:
                cmd += ["--memory-limit", a.memory_limit]
            print(f"{kind} ...", flush=True)
            m = measure(kind, cmd)
            if m.returncode != 0:
                print(f"  {kind} failed: {m.output_tail}")
                continue
            timing = json.loads(m.output_tail.splitlines()[-1])
            timing["peak_rss_mb"] = m.peak_rss_mb
            runs.append({"kind": kind, **timing})
            if kind not in best or timing["seconds"] < best[kind]["seconds"]:
                best[kind] = timing

    rows = []
    for kind, t in best.items():
        total = sum(t["rows"].values())
        rows.append(
            [
                kind,
                round(t["seconds"], 2),
                t["rows"]["ledger"],
                total,
                round(total / t["seconds"]),
                round(t["rows"]["ledger"] / t["seconds"]),
                t["peak_rss_mb"],
            ]
        )
    print()
    print_table(
        ["ingest", "seconds", "ledger rows", "all rows", "rows/s", "ledger rows/s", "peak RSS MB"],
        rows,
    )
    ratio = None
    if "recon" in best and "plain" in best:
        ratio = round(best["recon"]["seconds"] / best["plain"]["seconds"], 2)
        print(f"\nrecon load_extracts / plain read_csv time: {ratio} (same files, same run)")
    path = save(
        "ingest",
        {"ledger_rows_asked": a.ledger_rows, "transfers": transfers, "runs": runs, "ratio": ratio},
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
