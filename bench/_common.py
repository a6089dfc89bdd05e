"""Shared by the benchmark scripts: datasets, timing a process tree, scoring, reporting."""

from __future__ import annotations

import csv
import json
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
DAY = date(2024, 3, 15)
CUTOFF = "2024-03-16T00:00:00+00:00"


@dataclass(frozen=True)
class Measurement:
    """One process run: wall time, peak RSS of its whole process tree, how it ended."""

    label: str
    seconds: float
    peak_rss_mb: float
    returncode: int | None
    stopped: str = ""  # "timeout" or "memory" when the harness killed it
    output_tail: str = ""
    disk_peak_mb: float = 0.0  # the most the run took of the disk holding /tmp and bench/


def dataset(transfers: int, fmt: str, seed: int = 1, parts: int = 1) -> Path:
    """A generated day under bench/data (reused when already there); returns its root.

    `parts` > 1 writes each extract as that many part files (the 100M day: one file of
    380M rows would have to be generated in one piece)."""
    root = DATA / (f"{fmt}-{transfers}-s{seed}" + (f"-p{parts}" if parts > 1 else ""))
    marker = root / ".complete"
    if marker.exists():
        return root
    from recon.sample.generate import generate

    print(f"generating {transfers:,} transfers as {fmt} into {root} ...", flush=True)
    started = time.perf_counter()
    generate(root, transfers=transfers, seed=seed, business_date=DAY, fmt=fmt, parts=parts)
    marker.write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    print(f"  done in {time.perf_counter() - started:.1f}s", flush=True)
    return root


def measure(
    label: str,
    cmd: Sequence[str],
    *,
    timeout: float | None = None,
    max_rss_mb: float | None = None,
    cwd: Path = ROOT,
) -> Measurement:
    """Run `cmd`, polling the RSS of it and its children every 50 ms; kill it past the limits."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    root = psutil.Process(proc.pid)
    peak, stopped = 0, ""
    free_before = psutil.disk_usage(str(DATA if DATA.exists() else ROOT)).free
    least_free = free_before
    polls = 0
    while proc.poll() is None:
        polls += 1
        if polls % 10 == 0:  # every half second: statvfs is cheap, but not free
            least_free = min(
                least_free, psutil.disk_usage(str(DATA if DATA.exists() else ROOT)).free
            )
        rss = 0
        try:
            for p in (root, *root.children(recursive=True)):
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, rss)
        elapsed = time.perf_counter() - started
        if timeout and elapsed > timeout:
            stopped = "timeout"
        elif max_rss_mb and rss / 2**20 > max_rss_mb:
            stopped = "memory"
        if stopped:
            for p in (*root.children(recursive=True), root):
                try:
                    p.kill()
                except psutil.Error:
                    pass
            break
        time.sleep(0.05)
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    tail = "\n".join((out or "").strip().splitlines()[-3:])
    return Measurement(
        label, round(seconds, 2), round(peak / 2**20, 1), proc.returncode, stopped, tail,
        round((free_before - least_free) / 2**20, 1),
    )  # fmt: skip


def findings_of(path: Path) -> Counter:
    """(type, subtype, txn_ref) of every finding in a CSV (truth, exceptions or a baseline's)."""
    if not path.exists():
        return Counter()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return Counter(
            (r["type"], r["subtype"], r["txn_ref"])
            for r in csv.DictReader(fh)
            if r.get("status", "OPEN") != "SELF_HEALED"
        )


def agreement(truth: Counter, found: Counter) -> dict[str, float | int]:
    """How far a run's findings agree with the answer key (the same work was done)."""
    tp = sum((truth & found).values())
    n_found, n_truth = sum(found.values()), sum(truth.values())
    return {
        "found": n_found,
        "expected": n_truth,
        "precision": round(tp / n_found, 4) if n_found else 1.0,
        "recall": round(tp / n_truth, 4) if n_truth else 1.0,
    }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) if n else c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def save(name: str, payload: dict) -> Path:
    """Write the results as JSON into bench/results (git-ignored), stamped with the machine."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{name}-{stamp}.json"
    payload = {
        "benchmark": name,
        "finished_at": stamp,
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        **payload,
    }
    path.write_text(json.dumps(payload, indent=1, default=_json) + "\n", encoding="utf-8")
    return path


def _json(value: object) -> object:
    if isinstance(value, Measurement):
        return asdict(value)
    return str(value)
