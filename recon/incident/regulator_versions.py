"""Versions of the regulator's report: kept in the store, each compared with the one before.

A report whose figures equal the latest version's is that version again, not a new one; a
changed one is the next number, with an event in the audit chain. The diff names each figure
that changed by where it is (`totals[currency=CNY].amount`), so a reader of version 3 sees
what moved since version 2.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from recon.sql import load_sql, run_statements
from recon.store import audit
from recon.store.actor import os_user

# the fields that say which row of a table a figure belongs to
_ROW_KEYS = ("dimension", "value", "currency", "channel", "day")


@dataclass(frozen=True)
class Version:
    number: int
    new: bool  # False: the figures equal the latest version's
    previous: dict[str, Any] | None  # the figures of the version before, if any


def canonical(figures: dict[str, Any]) -> str:
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def keep_version(
    con: duckdb.DuckDBPyConnection,
    incident_id: str,
    figures: dict[str, Any],
    *,
    actor: str,
    now: datetime,
) -> Version:
    """Inside the store's write transaction: the version `figures` are (new if changed)."""
    text = canonical(figures)
    digest = hashlib.sha256(text.encode()).hexdigest()
    kept = con.execute(
        "SELECT version, content_sha256, figures::VARCHAR FROM recon_store.incident_reports"
        " WHERE incident_id = $i ORDER BY version",
        {"i": incident_id},
    ).fetchall()
    if kept and kept[-1][1] == digest:
        before = json.loads(kept[-2][2]) if len(kept) > 1 else None
        return Version(kept[-1][0], False, before)
    number = kept[-1][0] + 1 if kept else 1
    params = {"incident_id": incident_id, "version": number, "now": now, "actor": actor,
              "sha256": digest, "figures": text, "os_user": os_user()}  # fmt: skip
    run_statements(con, load_sql("recon.incident", "regulator_version_insert"), params)
    audit.append_events(con)
    return Version(number, True, json.loads(kept[-1][2]) if kept else None)


def latest_declared(con: duckdb.DuckDBPyConnection, incident_id: str) -> dict[str, str] | None:
    """The outage window the analyst declared for the latest version, if any."""
    rows = con.execute(
        load_sql("recon.incident", "regulator_versions"), {"incident_id": incident_id}
    ).fetchall()
    if not rows:
        return None
    return json.loads(rows[0][2]).get("window", {}).get("declared")


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(figure, before, after) for every figure that changed, was added or went away."""
    if before is None:
        return []
    old, new = _flat(before), _flat(after)
    return [
        (k, old.get(k), new.get(k))
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list):
        out = {}
        for n, item in enumerate(value):
            if isinstance(item, dict):
                ident = ",".join(f"{k}={item[k]}" for k in _ROW_KEYS if k in item)
                rest = {k: v for k, v in item.items() if k not in _ROW_KEYS}
                out.update(_flat(rest, f"{path}[{ident or n}]"))
            else:
                out[f"{path}[{n}]"] = item
        return out
    return {path: value}
