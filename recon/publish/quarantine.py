"""Why input rows were quarantined, summarised for summary.json and the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from recon.catalog import has_table
from recon.privacy import ID_COLUMNS, install_mask
from recon.sql import load_sql


def quarantine_reasons(
    con: duckdb.DuckDBPyConnection, *, mask: bool = True
) -> tuple[dict[str, Any], ...]:
    """Rows per source, column and reason with a first example; () without a quarantine table.

    The example of a line that could not be split into fields is its `sha256:` hash, never
    the line; an example account or customer id is masked when `mask`.
    """
    if not has_table(con, "quarantine"):
        return ()
    install_mask(con)
    result = con.execute(
        load_sql("recon.publish", "quarantine_by_reason"),
        {"mask": mask, "id_columns": list(ID_COLUMNS)},
    )
    columns = [d[0] for d in result.description]
    return tuple(dict(zip(columns, row, strict=True)) for row in result.fetchall())


def reason_counts(reasons: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """{source: {"column: reason": rows}}: the counts without the examples."""
    counts: dict[str, dict[str, int]] = {}
    for r in reasons:
        label = f"{r['column']}: {r['reason']}" if r["column"] else str(r["reason"])
        counts.setdefault(str(r["source"]), {})[label] = int(r["n"])
    return counts
