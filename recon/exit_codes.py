"""The exit-code contract of every `recon` command (CONTRACT.md section 3)."""

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0  # no open findings
    FINDINGS = 1  # open findings after this run
    FAILED = 2  # could not reconcile: bad, truncated or missing input, bad config, crash
