"""Compensation owed per customer and currency, summed from the open exceptions."""

from __future__ import annotations

import duckdb

from recon.catalog import table_names
from recon.remedies.policies import LINES
from recon.sql import load_sql, run_statements


def compensation_by_customer(con: duckdb.DuckDBPyConnection) -> None:
    """Create `compensation` (customer_id, currency, compensation, exception_ids) from
    `exceptions`; exceptions owing nothing are skipped, so every line is money to pay.

    Also `compensation_explained`: under `[[compensation.policies]]` one line per exception
    and policy (its days and basis), else empty."""
    run_statements(con, load_sql("recon.remedies", "compensation"))
    explained = (
        "compensation_explained" if LINES in table_names(con) else "compensation_unexplained"
    )
    run_statements(con, load_sql("recon.remedies", explained))


def explained(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this run priced its findings by `[[compensation.policies]]`."""
    return LINES in table_names(con)
