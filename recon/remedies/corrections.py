"""Proposed correcting entries for the open exceptions: balanced legs, never posted."""

from __future__ import annotations

import duckdb

from recon.catalog import table_names
from recon.sql import load_sql, run_statements

# Corrections without a known counterparty go through this account, one per currency
# (`SUSPENSE-CNY`): an analyst sees at once that the other side still needs choosing.
SUSPENSE_PREFIX = "SUSPENSE-"

# The proposed actions that move money, and so get correcting entries.
POSTING_ACTIONS = (
    "REVERSE_DEBIT",
    "REVIEW_REFUND",
    "RECALL_PAYMENT",
    "POST_CREDIT_OR_REVERSE",
    "POST_ENTRIES",
)


def propose_corrections(con: duckdb.DuckDBPyConnection) -> None:
    """Create `corrections` from the working table `exceptions` (see docs/findings.md).

    Each exception whose action moves money gets one debit and one credit leg of its amount;
    the other side comes from its transfer's ledger credit leg or channel payee when the
    source tables are in the working database, else from suspense.
    """
    present = set(table_names(con))
    parties = "parties" if {"ledger", "channel"} <= present else "parties_unknown"
    try:
        run_statements(con, load_sql("recon.remedies", parties))
        run_statements(
            con, load_sql("recon.remedies", "corrections"), {"suspense_prefix": SUSPENSE_PREFIX}
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _rm_parties")
