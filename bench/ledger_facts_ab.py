"""The per-transfer ledger facts alone: FILTERed aggregates against sum(CASE ...).

    .venv/bin/python bench/ledger_facts_ab.py --transfers 10000000

Loads the generated day's ledger (cached under bench/data) into a DuckDB database that holds
nothing else, at recon's default limit here (2000MB, 2 threads), and times the shape of
`_fb_ledger_txn` (recon/findings/transfers.sql) written both ways, alternated, twice each;
then checks that both give the same rows. What docs/benchmarks.md quotes: the statement
alone against its time inside a full run shows what the rest of the working set costs it.
Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import dataset

LEGS = """WITH legs AS (
    SELECT l.txn_ref, l.posted_at, l.direction, l.status, l.amount, l.account_id,
           l.reversal_of IS NULL AND l.direction = 'D' AS debit_leg,
           l.reversal_of IS NULL AND l.direction = 'C' AS credit_leg,
           l.reversal_of IS NULL AND l.direction = 'D' AND l.status = 'POSTED'
               AND rv.entry_id IS NULL AS booked,
           rv.entry_id IS NOT NULL AS reversed,
           d.entry_id IS NOT NULL AS dup,
           l.status = 'PENDING' AND l.posted_at < $cutoff AS stale_pending
    FROM ledger AS l
    LEFT JOIN reversed AS rv ON rv.entry_id = l.entry_id
    LEFT JOIN dup AS d ON d.entry_id = l.entry_id)"""

FILTERED = """
SELECT txn_ref, min(posted_at) AS first_ledger_at,
       count(*) FILTER (booked) AS booked_all_n,
       coalesce(sum(amount) FILTER (booked), 0) AS booked_all_debit,
       count(*) FILTER (booked AND NOT dup) AS booked_n,
       coalesce(sum(amount) FILTER (booked AND NOT dup), 0) AS booked_debit,
       coalesce(bool_or(reversed) FILTER (debit_leg), false) AS debit_reversed,
       coalesce(sum(amount) FILTER (credit_leg AND status = 'POSTED' AND NOT reversed), 0)
           AS posted_credit,
       coalesce(bool_or(list_contains($clearing, account_id)) FILTER (credit_leg), false)
           AS clearing_credit,
       count(*) FILTER (stale_pending) AS stale_pending_n,
       sum(amount) FILTER (stale_pending AND direction = 'D') AS pending_debit,
       sum(amount) FILTER (stale_pending AND direction = 'C') AS pending_credit
FROM legs GROUP BY txn_ref"""

CASES = """
SELECT txn_ref, min(posted_at) AS first_ledger_at,
       sum(booked::INT) AS booked_all_n,
       sum(CASE WHEN booked THEN amount ELSE 0 END) AS booked_all_debit,
       sum((booked AND NOT dup)::INT) AS booked_n,
       sum(CASE WHEN booked AND NOT dup THEN amount ELSE 0 END) AS booked_debit,
       max((debit_leg AND reversed)::INT)::BOOLEAN AS debit_reversed,
       sum(CASE WHEN credit_leg AND status = 'POSTED' AND NOT reversed THEN amount ELSE 0 END)
           AS posted_credit,
       max((credit_leg AND list_contains($clearing, account_id))::INT)::BOOLEAN
           AS clearing_credit,
       sum(stale_pending::INT) AS stale_pending_n,
       sum(CASE WHEN stale_pending AND direction = 'D' THEN amount END) AS pending_debit,
       sum(CASE WHEN stale_pending AND direction = 'C' THEN amount END) AS pending_credit
FROM legs GROUP BY txn_ref"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--memory-limit", default="2000MB")
    args = parser.parse_args()
    data = dataset(args.transfers, "parquet") / "data"
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute("SET threads = 2")
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        "CREATE TABLE ledger AS SELECT * FROM read_parquet($files)",
        {"files": [str(p) for p in sorted(data.glob("ledger*.parquet"))]},
    )
    con.execute("CREATE TABLE reversed AS SELECT reversal_of AS entry_id FROM ledger"
                " WHERE reversal_of IS NOT NULL")  # fmt: skip
    con.execute("CREATE TABLE dup AS SELECT entry_id FROM ledger WHERE hash(entry_id) % 500 = 0")
    cutoff = con.execute("SELECT max(posted_at) - INTERVAL 30 MINUTE FROM ledger").fetchone()[0]
    params = {"cutoff": cutoff, "clearing": ["CLR-SWIFT-01"]}
    for name, body in [("filtered", FILTERED), ("cases", CASES)] * 2:
        started = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE out_{name} AS {LEGS} {body}", params)
        print(f"{name:9} {time.perf_counter() - started:6.2f} s", flush=True)
    differ = con.execute(
        "SELECT count(*) FROM ((SELECT * FROM out_filtered EXCEPT SELECT * FROM out_cases)"
        " UNION ALL (SELECT * FROM out_cases EXCEPT SELECT * FROM out_filtered))"
    ).fetchone()[0]
    print(f"rows that differ: {differ}")


if __name__ == "__main__":
    main()
