"""Copy the source rows a finding's `evidence` points at into the store, for `show`.

`ledger:E1` means the ledger row whose entry_id is E1. The working tables may be gone by the
time an analyst looks (an in-memory run), so the store keeps the row, its file and line.
"""

from __future__ import annotations

import duckdb

from recon.catalog import table_names
from recon.sql import load_sql, quote_ident, run_statements

# evidence source name(s) -> (working table, its key column)
EVIDENCE_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "ledger": (("ledger",), "entry_id"),
    "channel": (("channel",), "request_id"),
    "gateway": (("gateway",), "gateway_ref"),
    "invoices": (("invoices", "invoice"), "invoice_id"),
}

_EMPTY = (
    "SELECT NULL::VARCHAR AS exception_id, NULL::INTEGER AS position, NULL::VARCHAR AS file,"
    ' NULL::BIGINT AS line, NULL::JSON AS "row" WHERE false'
)


def anchors_seen(con: duckdb.DuckDBPyConnection) -> None:
    """Create `_store_anchor` (anchors.sql) and `_store_anchor_seen`: the rows the exceptions
    this run no longer finds are about, and those this run read again. A source whose working
    table is absent (a test, an optional extract) sees none."""
    run_statements(con, load_sql("recon.store", "anchors"))
    template = load_sql("recon.store", "anchor_seen")
    parts, params = _per_source(con, template)
    select = " UNION ".join(parts) if parts else "SELECT NULL::VARCHAR AS exception_id WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _store_anchor_seen AS {select}", params)


def _per_source(con: duckdb.DuckDBPyConnection, template: str) -> tuple[list[str], dict]:
    """`template` filled in for each evidence source whose working table is present."""
    present = set(table_names(con))
    template = "\n".join(
        line for line in template.splitlines() if not line.lstrip().startswith("--")
    )
    parts: list[str] = []
    params: dict[str, object] = {}
    for table, (names, key) in EVIDENCE_SOURCES.items():
        if table in present:
            name = f"names_{len(parts)}"  # each part binds its own list of evidence names
            sql = template.format(table=quote_ident(table), key=quote_ident(key), names=name)
            parts.append(f"({sql.strip().rstrip(';')})")
            params[name] = list(names)
    return parts, params


def match_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Create temp table `_store_evidence_matches` from `_store_evidence_items`.

    Sources whose working table is absent (a test, an optional extract) simply match nothing;
    the item is still kept, with no row, so `show` can say the row was not available.
    """
    parts, params = _per_source(con, load_sql("recon.store", "evidence_source"))
    select = " UNION ALL ".join(parts) if parts else _EMPTY
    con.execute(f"CREATE OR REPLACE TEMP TABLE _store_evidence_matches AS {select}", params)
