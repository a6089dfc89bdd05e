"""Age, severity and SLA of stored exceptions (CONTRACT.md is silent; docs/store.md says why).

Computed when read, not stored: the same exception ages between two looks at it, and a
changed `SlaPolicy` applies at once to everything on the queue.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from recon.config import SlaPolicy
from recon.sql import load_sql, run_statements


def age_exceptions(con: duckdb.DuckDBPyConnection, as_of: datetime, sla: SlaPolicy) -> None:
    """Create temp table `_store_aged`: every exception in the attached store plus
    `severity`, `sla_due_at`, `age_hours`, `sla_breached` as of `as_of`."""
    run_statements(
        con,
        load_sql("recon.store", "aged"),
        {
            "as_of": as_of,
            "high_amount": sla.high_amount,
            "medium_amount": sla.medium_amount,
            "high_hours": sla.high_hours,
            "medium_hours": sla.medium_hours,
            "low_hours": sla.low_hours,
        },
    )
