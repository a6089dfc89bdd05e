"""The exception store: every run's findings, their status over time, and who changed what.

A DuckDB file (default `recon.duckdb`) documented in docs/store.md. `record_run` is the
pipeline's step; `recon.store.queries`, `recon.store.actions` and `recon.store.commands` are
the analysts' view and tools.
"""

from recon.store.actor import check_actor, default_actor
from recon.store.record import record_failed_run, record_run, recording, run_recorded
from recon.store.suggestions import keep_suggestions

__all__ = [
    "check_actor",
    "default_actor",
    "keep_suggestions",
    "record_failed_run",
    "record_run",
    "recording",
    "run_recorded",
]
