"""What every after-the-incident command needs first: the incident's cases in the store."""

from __future__ import annotations

import duckdb

from recon.errors import StoreError
from recon.sql import load_sql


def require_cases(con: duckdb.DuckDBPyConnection, incident_id: str) -> None:
    """`StoreError` naming the command that tags them when the store has none for the incident."""
    ((tagged,),) = con.execute(
        load_sql("recon.incident", "incident_cases"), {"incident_id": incident_id}
    ).fetchall()  # fetchall: fetchone would leave the result open on the connection
    if not tagged:
        raise StoreError(
            f"incident {incident_id} has no cases in the store: run `recon incident rerun"
            f" --id {incident_id} --start ... --end ...` first"
        )
