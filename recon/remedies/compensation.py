"""Compensation owed per customer and currency, summed from the open exceptions."""

from __future__ import annotations

import duckdb

from recon.sql import load_sql, run_statements


def compensation_by_customer(con: duckdb.DuckDBPyConnection) -> None:
    """Create `compensation` (customer_id, currency, compensation, exception_ids) from
    `exceptions`; exceptions owing nothing are skipped, so every line is money to pay."""
    run_statements(con, load_sql("recon.remedies", "compensation"))
