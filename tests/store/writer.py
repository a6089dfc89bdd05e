"""A separate process that records one run, for the kill and two-writers tests.

Usage: python writer.py STORE RUN_NUMBER TXN_REFS WAIT_SECONDS
Exit 0 when recorded, 3 when the store stayed busy (the error on stderr).
"""

from __future__ import annotations

import logging
import sys

from builders import F, at, load_findings, run_info

from recon.db import connect
from recon.errors import StoreBusyError
from recon.store import record_run


def main() -> int:
    store, number, refs, wait = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    con = connect()
    txn_refs = [r for r in refs.split(",") if r]
    load_findings(con, [F(r) for r in txn_refs], evaluated=["T1", "T2", "T3"])
    try:
        record_run(store, con, run_info(number), actor=f"writer-{number}", now=at(number),
                   wait_seconds=wait)  # fmt: skip
    except StoreBusyError as err:
        print(f"BUSY: {err}", file=sys.stderr)
        return 3
    print("recorded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
