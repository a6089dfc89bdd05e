"""Test hooks for fault injection: pause a run at a named point so a test can kill it there,
or kill the cluster worker that runs a given bucket.

`RECON_TEST_PAUSE_AT=<point>:<seconds>` makes `pause_at(point)` print a marker line on
stderr and sleep. `RECON_TEST_KILL_BUCKET=<bucket>:<marker file>` makes the process running
that bucket die at once (a lost worker) the first time, leaving the marker so the retry lives;
`RECON_TEST_FAIL_BUCKET=<bucket>` makes that bucket raise every time. Unset (always, outside
tests), each costs one environment lookup.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "RECON_TEST_PAUSE_AT"
PAUSED_MARKER = "recon-test: paused at"


def pause_at(point: str) -> None:
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    name, _, seconds = spec.partition(":")
    if name == point:
        print(f"{PAUSED_MARKER} {point}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 30))


KILL_BUCKET_ENV = "RECON_TEST_KILL_BUCKET"
FAIL_BUCKET_ENV = "RECON_TEST_FAIL_BUCKET"


def bucket_faults(bucket: int) -> None:
    kill = os.environ.get(KILL_BUCKET_ENV)
    if kill:
        number, _, marker = kill.partition(":")
        if int(number) == bucket and not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as fh:
                fh.write(str(os.getpid()))
            os._exit(1)  # no cleanup, no exception: the worker is simply gone
    fail = os.environ.get(FAIL_BUCKET_ENV)
    if fail and int(fail) == bucket:
        raise RuntimeError(f"injected failure in bucket {bucket}")
