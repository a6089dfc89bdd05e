"""What each run suggested for its exceptions, kept in the store (docs/store.md, "Corrections
and compensation").

A run computes its remedies as temp tables (`corrections`, and the compensation of each
exception) while the store's write transaction is open; `keep_suggestions` copies them into
the store in that same transaction, so a run that fails keeps none. Analysts propose from
these (`recon.store.proposals`), and nothing is ever posted by a run.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from recon.model import RunInfo
from recon.remedies import SUSPENSE_PREFIX
from recon.sql import load_sql, run_statements

CORRECTION = "CORRECTION"
COMPENSATION = "COMPENSATION"
KINDS = (CORRECTION, COMPENSATION)


def keep_suggestions(
    con: duckdb.DuckDBPyConnection, run: RunInfo, *, now: datetime | None = None
) -> None:
    """Store the run's suggestions (from temp tables `corrections` and `exceptions`) in the
    attached store, inside the caller's open write transaction.

    One row per (exception, kind, alternative), keyed stably, so a rerun never duplicates
    one; a changed figure becomes a new revision, the old one stays in the history.
    """
    rate = run.params.get("annual_rate")
    params = {
        "run_id": run.run_id,
        "now": now or datetime.now(UTC),
        "suspense_prefix": SUSPENSE_PREFIX,
        "annual_rate": None if rate is None else str(rate),
        "cutoff": run.cutoff.astimezone(UTC).isoformat(),
    }
    run_statements(con, load_sql("recon.store", "suggestions_now"), params)
    run_statements(con, load_sql("recon.store", "suggestions_keep"), params)
