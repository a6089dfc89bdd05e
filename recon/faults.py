"""Test hook for fault injection: pause a run at a named point so a test can kill it there.

`RECON_TEST_PAUSE_AT=<point>:<seconds>` makes `pause_at(point)` print a marker line on
stderr and sleep; unset (always, outside tests), it costs one environment lookup.
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
