"""Passes 2 and 3 of a source, once all its files are in: exact duplicates, conflicting
keys, the row accounting per file, then quarantine and removal of all but the valid rows.

Only rows whose key hash repeats (or that have no key) are compared in detail, so a source
without duplicates costs one aggregation over its keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from recon.ingest.rules import SourceRules
from recon.ingest.stage import Rule, statements
from recon.sql import load_sql, quote_ident


@dataclass(frozen=True)
class FileCounts:
    rows: int  # rows typed from the file (malformed rows not included)
    amount_sum: Decimal  # of the amounts that parsed
    exact_duplicates: int
    broken: int  # rows breaking a schema rule (exact duplicates not counted)
    conflicts: int  # valid rows whose key an earlier row already took


def check_reversals(con: duckdb.DuckDBPyConnection, rules: SourceRules, rule_id: int) -> None:
    """Mark (as breaking rule `rule_id`) the postings whose reversal_of names a posting of
    the source that they do not mirror; before the duplicate checks, so they count as bad."""
    con.execute(
        load_sql("recon.ingest", "reversals").format(table=quote_ident(rules.source)),
        {"rule": rule_id},
    )


def find_duplicates(con: duckdb.DuckDBPyConnection, rules: SourceRules) -> dict[int, FileCounts]:
    """Mark exact duplicates and conflicting keys; the accounting per file number."""
    table, key = quote_ident(rules.source), quote_ident(rules.key.name)
    names = ", ".join(quote_ident(c) for c in rules.names)
    con.execute(load_sql("recon.ingest", "candidates").format(table=table, key=key, names=names))
    con.execute(load_sql("recon.ingest", "duplicates").format(names=names))
    con.execute(load_sql("recon.ingest", "conflicts"))
    return {
        int(file_no): FileCounts(int(rows), amount or Decimal(0), int(dups), int(bad), int(clash))
        for file_no, rows, amount, dups, bad, clash in con.execute(
            load_sql("recon.ingest", "file_counts").format(table=table)
        ).fetchall()
    }


def settle(con: duckdb.DuckDBPyConnection, rules: SourceRules, checks: list[Rule]) -> None:
    """Quarantine the broken and conflicting rows, then leave only valid rows in the table."""
    table = quote_ident(rules.source)
    con.execute(
        load_sql("recon.ingest", "quarantine_rows").format(table=table),
        {
            "source": rules.source,
            "key": rules.key.name,
            "rule_columns": [r.column for r in checks],
            "rule_reasons": [r.reason for r in checks],
        },
    )
    request_id = "t.request_id" if "request_id" in rules.names else "NULL"
    con.execute(
        load_sql("recon.ingest", "quarantined_refs").format(table=table, request_id=request_id),
        {"source": rules.source, "rule_columns": [r.column for r in checks]},
    )
    con.execute(load_sql("recon.ingest", "remove_rows").format(table=table))
    for statement in statements(load_sql("recon.ingest", "drop_bookkeeping").format(table=table)):
        con.execute(statement)
