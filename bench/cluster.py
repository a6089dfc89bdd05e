"""One process against a Dask LocalCluster of 1 and 2 workers, in one session (issue 15).

    .venv/bin/python bench/cluster.py --transfers 10000000
    .venv/bin/python bench/cluster.py --transfers 1000000 --workers 2

For a generated Parquet day (cached under bench/data) runs `recon run` with default
settings, then `recon run --cluster local:N` for each N, measuring wall time and the peak RSS
of the whole process tree (workers included), and checks that every run's exceptions
(ids, amounts, compensation, evidence) equal the single-process run's and the answer key.
Prints the ratios against the single-process run. Not a test; one run at a time.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, agreement, dataset, findings_of, measure, print_table, save

COMPARED = ("exception_id", "type", "subtype", "txn_ref", "customer_id", "amount",
            "compensation", "evidence", "status")  # fmt: skip


def exceptions(out: Path) -> list[tuple[str, ...]]:
    with (out / "exceptions.csv").open(newline="", encoding="utf-8-sig") as fh:
        return sorted(tuple(row[c] for c in COMPARED) for row in csv.DictReader(fh))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--transfers", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600.0)
    a = ap.parse_args()
    root = dataset(a.transfers, "parquet", a.seed)
    truth = findings_of(root / "truth" / "truth.csv")
    exe = str(Path(sys.executable).with_name("recon"))
    rows, results, first = [], [], None
    with tempfile.TemporaryDirectory(prefix="recon-cluster-", dir=BENCH / "data") as tmp:
        for workers in [0, *a.workers]:
            label = "one process" if workers == 0 else f"LocalCluster({workers})"
            out, store = Path(tmp) / f"out{workers}", Path(tmp) / f"store{workers}.duckdb"
            cmd = [exe, "run", "--quiet", "--data-dir", str(root / "data"), "--out", str(out),
                   "--store", str(store), "--config", str(root / "recon.toml")]  # fmt: skip
            if workers:
                cmd += ["--cluster", f"local:{workers}"]
            print(f"[{a.transfers:,}] {label} ...", flush=True)
            m = measure(label, cmd, timeout=a.timeout)
            ok = m.returncode in (0, 1) and not m.stopped
            found = exceptions(out) if ok else None
            first = found if first is None else first
            score = agreement(truth, findings_of(out / "exceptions.csv")) if ok else {}
            same = ok and found == first
            results.append({"workers": workers, "measurement": m, "agreement": score,
                            "same_as_one_process": same})  # fmt: skip
            rows.append([label, m.seconds, m.peak_rss_mb, m.returncode, same,
                         score.get("precision", "-"), score.get("recall", "-")])  # fmt: skip
            print(
                f"  {m.seconds:.1f} s, peak RSS {m.peak_rss_mb:,.0f} MB, same: {same}", flush=True
            )
    print()
    print_table(["run", "wall s", "peak RSS MB", "exit", "same", "precision", "recall"], rows)
    base = results[0]["measurement"].seconds
    lines = [f"{r['measurement'].label}: {r['measurement'].seconds / base:.2f}x the one-process"
             " time" for r in results[1:]]  # fmt: skip
    print("\n".join(lines))
    path = save("cluster", {"transfers": a.transfers, "runs": results, "lines": lines})
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
