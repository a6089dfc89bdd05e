"""The open exceptions as one typed view, whatever optional columns the store provided."""

from __future__ import annotations

import duckdb

from recon.catalog import table_columns
from recon.privacy import install_mask
from recon.publish.columns import EXCEPTION_COLUMNS, EXCEPTION_EXTRA_COLUMNS
from recon.safety import install_sql_macros
from recon.sql import load_sql, quote_ident

CASES_VIEW = "publish_cases"

_CONTRACT_TYPES = {
    name: (
        "DECIMAL(18,2)"
        if name in ("amount", "compensation")
        else "TIMESTAMPTZ"
        if name == "detected_at"
        else "VARCHAR"
    )
    for name in EXCEPTION_COLUMNS
}
# Context the findings table always has; used when the store did not copy it over.
_FROM_FINDINGS = ("event_at", "channel")

_FINDINGS_JOIN = (
    "LEFT JOIN (SELECT exception_id, {picks} FROM findings GROUP BY exception_id) AS f"
    " ON f.exception_id = e.exception_id"
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define `publish_iso`, `publish_money`, the output-safety `safe_cell` (recon.safety) and
    `mask_id` (recon.privacy) on this connection (temporary, idempotent)."""
    con.execute(load_sql("recon.publish", "macros"))
    install_sql_macros(con)
    install_mask(con)


def create_cases_view(con: duckdb.DuckDBPyConnection) -> str:
    """Create the `publish_cases` view over table `exceptions` and return its name.

    Missing optional columns (aging, SLA, assignee) read as NULL; `event_at` and `channel`
    fall back to the run's `findings`. A missing `exceptions` table gives an empty view, so a
    run that published nothing still writes files with headers.
    """
    install_macros(con)
    have = table_columns(con, "exceptions")
    findings = table_columns(con, "findings")
    from_findings = [
        c for c in _FROM_FINDINGS if c not in have and c in findings and "exception_id" in findings
    ]
    wanted = {**_CONTRACT_TYPES, **EXCEPTION_EXTRA_COLUMNS}
    columns = []
    for name, sql_type in wanted.items():
        ident = quote_ident(name)
        if name in have:
            source = f"e.{ident}"
        elif name in from_findings:
            source = f"f.{ident}"
        else:
            source = "NULL"
        columns.append(f"CAST({source} AS {sql_type}) AS {ident}")
    findings_join = ""
    if from_findings:
        picks = ", ".join(f"any_value({quote_ident(c)}) AS {quote_ident(c)}" for c in from_findings)
        findings_join = _FINDINGS_JOIN.format(picks=picks)
    source = "exceptions" if have else "(SELECT NULL AS exception_id WHERE false)"
    sql = load_sql("recon.publish", "cases_view").format(
        columns=",\n    ".join(columns), source=source, findings_join=findings_join
    )
    con.execute(sql)
    return CASES_VIEW
