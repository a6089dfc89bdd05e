"""Copy the source rows a finding's `evidence` points at into the store, for `show`.

`ledger:E1` means the ledger row whose entry_id is E1. The working tables may be gone by the
time an analyst looks (an in-memory run), so the store keeps the row, its file and line.
"""

from __future__ import annotations

import duckdb

from recon.catalog import table_names
from recon.sql import load_sql, quote_ident

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


def match_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Create temp table `_store_evidence_matches` from `_store_evidence_items`.

    Sources whose working table is absent (a test, an optional extract) simply match nothing;
    the item is still kept, with no row, so `show` can say the row was not available.
    """
    present = set(table_names(con))
    template = "\n".join(
        line
        for line in load_sql("recon.store", "evidence_source").splitlines()
        if not line.lstrip().startswith("--")
    )
    parts: list[str] = []
    params: dict[str, object] = {}
    for table, (names, key) in EVIDENCE_SOURCES.items():
        if table in present:
            name = f"names_{len(parts)}"  # each part binds its own list of evidence names
            sql = template.format(table=quote_ident(table), key=quote_ident(key), names=name)
            parts.append(f"({sql.strip().rstrip(';')})")
            params[name] = list(names)
    select = " UNION ALL ".join(parts) if parts else _EMPTY
    con.execute(f"CREATE OR REPLACE TEMP TABLE _store_evidence_matches AS {select}", params)
