"""summary.json: the machine-readable record of one run (CONTRACT.md section 3).

Money is written as decimal strings and timestamps as ISO 8601 with offset, so the file
round-trips exactly through any JSON parser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from recon.catalog import has_table
from recon.config import SOURCES
from recon.model import RunSummary, SourceCounts
from recon.publish.quarantine import quarantine_reasons, reason_counts
from recon.sql import load_sql


def run_outcome(summary: RunSummary, open_total: int | None) -> str:
    """`failed` when the run could not reconcile, else `findings` or `clean` (the exit code)."""
    if summary.error is not None:
        return "failed"
    return "findings" if open_total else "clean"


def findings_by_subtype(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """This run's findings as {type: {subtype: count}}; empty when nothing was detected."""
    if not has_table(con, "findings"):
        return {}
    nested: dict[str, dict[str, int]] = {}
    for type_, subtype, n in con.execute(
        load_sql("recon.publish", "findings_by_subtype")
    ).fetchall():
        nested.setdefault(type_, {})[subtype] = int(n)
    return nested


def compensation_by_currency(con: duckdb.DuckDBPyConnection) -> dict[str, Decimal]:
    if not has_table(con, "compensation"):
        return {}
    rows = con.execute(load_sql("recon.publish", "compensation_by_currency")).fetchall()
    return {str(currency): Decimal(total) for currency, total in rows}


def open_total(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> int:
    """Exceptions open after the run: the store's figure, else a count of table `exceptions`."""
    if summary.outcome is not None:
        return summary.outcome.open_total
    if not has_table(con, "exceptions"):
        return 0
    return int(con.execute(load_sql("recon.publish", "open_total")).fetchone()[0])


def checks_and_healing(
    con: duckdb.DuckDBPyConnection, summary: RunSummary
) -> dict[str, dict[str, str]]:
    """What the run did not check, and which healing it withheld over damage it cannot place
    (CONTRACT.md sections 1 and 5); both empty on a complete day."""
    skipped = summary.run.params.get("checks_not_run") or []
    not_run = {str(t): UNCHECKED_REASONS.get(str(t), "not checked") for t in skipped}
    withheld: dict[str, str] = {}
    if has_table(con, "unplaced_damage"):
        for source, lines in con.execute(load_sql("recon.publish", "healing_limits")).fetchall():
            scope = "no invoice finding" if source == "invoices" else "no finding"
            withheld[source] = f"{lines} quarantined line(s) name no transfer: {scope} healed"
    return {"checks_not_run": not_run, "healing_withheld": withheld}


UNCHECKED_REASONS = {"INVOICE": "no invoices extract: the invoice checks were not run"}


def rows_by_source(counts: Mapping[str, SourceCounts]) -> dict[str, dict[str, int]]:
    """Row accounting per source, the contract's sources first in their usual order."""
    order = [s for s in SOURCES if s in counts] + sorted(set(counts) - set(SOURCES))
    return {
        source: {
            "read": counts[source].read,
            "valid": counts[source].valid,
            "quarantined": counts[source].quarantined,
            "exact_duplicates": counts[source].exact_duplicates,
        }
        for source in order
    }


def summary_document(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> dict[str, Any]:
    """Everything summary.json holds for a run that reconciled."""
    findings = findings_by_subtype(con)
    total_open = open_total(con, summary)
    by_currency = compensation_by_currency(con)
    return _document(
        summary,
        findings=findings,
        open_total=total_open,
        compensation_by_currency=by_currency,
        quarantine=reason_counts(quarantine_reasons(con)),
        checks=checks_and_healing(con, summary),
    )


def failure_document(summary: RunSummary, quarantine: Mapping[str, Any]) -> dict[str, Any]:
    """summary.json of a run that could not reconcile: no findings, the store left alone."""
    return _document(
        summary,
        findings={},
        open_total=None,
        compensation_by_currency=None,
        quarantine=quarantine,
    )


def _document(
    summary: RunSummary,
    *,
    findings: Mapping[str, Mapping[str, int]],
    open_total: int | None,
    compensation_by_currency: Mapping[str, Decimal] | None,
    quarantine: Mapping[str, Any],
    checks: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    run, outcome = summary.run, summary.outcome
    status = run_outcome(summary, open_total)
    comp_total = (
        None
        if compensation_by_currency is None
        else sum(compensation_by_currency.values(), Decimal("0.00")).quantize(Decimal("0.01"))
    )
    return jsonable(
        {
            "run_id": run.run_id,
            "cutoff": run.cutoff,
            "outcome": status,
            "exit_code": {"clean": 0, "findings": 1, "failed": 2}[status],
            "error": summary.error,
            "started_at": run.started_at,
            "finished_at": summary.finished_at,
            "data_dir": run.data_dir,
            "actor": run.actor,
            "incident_id": run.incident_id,
            "rows": rows_by_source(run.counts),
            "quarantine": quarantine,
            "findings": findings,
            "findings_total": sum(n for subs in findings.values() for n in subs.values()),
            "open_total": open_total,
            "new": sorted(outcome.new) if outcome else [],
            "reopened": sorted(outcome.reopened) if outcome else [],
            "healed": sorted(outcome.healed) if outcome else [],
            **(checks or {"checks_not_run": {}, "healing_withheld": {}}),
            "compensation_total": comp_total,
            "compensation_by_currency": compensation_by_currency,
            "inputs": [
                {
                    "source": f.source,
                    "path": f.path,
                    "format": f.format,
                    "sha256": f.sha256,
                    "rows": f.rows,
                    "amount_sum": f.amount_sum,
                }
                for f in run.files
            ],
            "parameters": run.params,
            "timings": {k: round(float(v), 3) for k, v in summary.timings.items()},
            "resources": dict(summary.resources),
            # the store's audit chain head once this run is recorded (docs/store.md)
            "audit_head": outcome.audit_head if outcome else None,
        }
    )


def jsonable(value: Any) -> Any:
    """`value` with Decimals as strings, datetimes as ISO 8601 and mappings/tuples as JSON types."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_summary(path: Path, document: Mapping[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
