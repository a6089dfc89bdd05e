#!/usr/bin/env python3
"""Run bench/bare_duckdb.sql over a folder of Parquet extracts; write the findings as CSV.

    python bench/bare_duckdb.py --data-dir DIR --cutoff 2024-03-16T00:00:00+00:00 --out F.csv

The baseline recon is compared against in bench/end_to_end.py: the same checks, no
validation, quarantine, evidence, exception store or reports.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb

SQL = Path(__file__).with_name("bare_duckdb.sql")
CLEARING = ["CLR-CNAPS-01", "CLR-UNIONPAY-01", "CLR-SWIFT-01"]


def statements(text: str) -> list[str]:
    """The script's statements (it holds no semicolons inside strings), comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def run(
    data_dir: Path, cutoff: str, out: Path, memory_limit: str | None, threads: int | None
) -> int:
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    con.execute("SET TimeZone = 'UTC'")
    if memory_limit:
        con.execute("SET memory_limit = $m", {"m": memory_limit})
    if threads:
        con.execute("SET threads = $t", {"t": threads})
    params = {
        "ledger": sorted(str(p) for p in data_dir.glob("ledger*.parquet")),
        "channel": sorted(str(p) for p in data_dir.glob("channel*.parquet")),
        "gateway": sorted(str(p) for p in data_dir.glob("gateway*.parquet")),
        "invoices": sorted(str(p) for p in data_dir.glob("invoices*.parquet")),
        "cutoff": cutoff,
        "grace": 30,
        "sla": 30,
        "window": 10,
        "clearing": CLEARING,
    }
    for statement in statements(SQL.read_text(encoding="utf-8")):
        used = {name: params[name] for name in set(re.findall(r"\$(\w+)", statement))}
        con.execute(statement, used)
    con.execute("COPY bare_findings TO $out (FORMAT csv, HEADER true)", {"out": str(out)})
    return int(con.sql("SELECT count(*) FROM bare_findings").fetchall()[0][0])


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--cutoff", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--memory-limit")
    ap.add_argument("--threads", type=int)
    a = ap.parse_args()
    n = run(a.data_dir, a.cutoff, a.out, a.memory_limit, a.threads)
    print(f"bare duckdb: {n} findings in {a.out}")


if __name__ == "__main__":
    main()
