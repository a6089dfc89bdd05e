"""Read the exception store for analysts: the filtered queue and one exception in full.

Every read attaches the store read-only for as long as the query takes and hands back
polars frames, so a running reconciliation is never kept waiting long.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from recon.config import SlaPolicy
from recon.db import connect
from recon.errors import UnknownExceptionError
from recon.sql import load_sql
from recon.store.aging import age_exceptions
from recon.store.lock import DEFAULT_WAIT_SECONDS, attached_store
from recon.store.statuses import OPEN_STATUSES


@dataclass(frozen=True)
class ExceptionFilter:
    """What `recon exceptions list` narrows the queue by; empty/None means no filter.

    `statuses` defaults to the open ones (the queue); pass `()` for every status.
    """

    statuses: tuple[str, ...] = OPEN_STATUSES
    types: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    min_age_hours: Decimal | None = None
    max_age_hours: Decimal | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    customer: str | None = None
    assignee: str | None = None
    run_id: str | None = None
    text: str | None = None
    exception_id: str | None = None

    def params(self) -> dict[str, object]:
        def many(values: tuple[str, ...]) -> list[str] | None:
            return [v.upper() for v in values] if values else None

        return {
            "statuses": many(self.statuses),
            "types": many(self.types),
            "subtypes": many(self.subtypes),
            "severities": many(self.severities),
            "min_age": self.min_age_hours,
            "max_age": self.max_age_hours,
            "min_amount": self.min_amount,
            "max_amount": self.max_amount,
            "customer": self.customer,
            "assignee": self.assignee,
            "run_id": self.run_id,
            "text": self.text or None,
            "exception_id": self.exception_id,
        }


@dataclass(frozen=True)
class ExceptionDetail:
    """One exception for `show`: its fields, the source rows behind it, its history."""

    exception: dict[str, Any]
    evidence: pl.DataFrame  # position, source, key, file, line, row (JSON text), captured_run
    history: pl.DataFrame  # event_no, changed_at, actor, run_id, action, from/to status, note
    runs_seen: tuple[str, ...] = ()
    incidents: tuple[str, ...] = field(default_factory=tuple)

    def source_rows(self) -> pl.DataFrame:
        """The evidence rows side by side: one row per field, one column per `source:key`.

        Fields come in the order the sources list them; a row not available in the run's
        extracts shows as `(not in the extracts)`.
        """
        columns: dict[str, dict[str, str]] = {}
        order: list[str] = []
        for item in self.evidence.iter_rows(named=True):
            label = f"{item['source']}:{item['key']}"
            values: dict[str, str] = {}
            if item["row"] is None:
                values["_file"] = "(not in the extracts)"
            else:
                for name, value in json.loads(item["row"], parse_float=Decimal).items():
                    values[name] = "" if value is None else str(value)
            for name in values:
                if name not in order:
                    order.append(name)
            columns[label] = values
        fields_first = [n for n in order if not n.startswith("_")] + [
            n for n in order if n.startswith("_")
        ]
        data: dict[str, list[str]] = {"field": [n.lstrip("_") for n in fields_first]}
        for label, values in columns.items():
            data[label] = [values.get(n, "") for n in fields_first]
        return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


def list_exceptions(
    store_path: str | Path,
    filters: ExceptionFilter | None = None,
    *,
    as_of: datetime | None = None,
    sla: SlaPolicy | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> pl.DataFrame:
    """The exceptions matching `filters`, aged as of `as_of` (default now), earliest SLA first."""
    filters = filters or ExceptionFilter()
    with _aged_store(store_path, as_of, sla, wait_seconds) as con:
        return con.sql(load_sql("recon.store", "list"), params=filters.params()).pl()


def exception_detail(
    store_path: str | Path,
    exception_id: str,
    *,
    as_of: datetime | None = None,
    sla: SlaPolicy | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> ExceptionDetail:
    """Everything the store knows about one exception; `UnknownExceptionError` if none."""
    with _aged_store(store_path, as_of, sla, wait_seconds) as con:
        rows = (
            con.sql(
                load_sql("recon.store", "list").replace(
                    "ORDER BY", "AND a.exception_id = $exception_id ORDER BY"
                ),
                params={**ExceptionFilter(statuses=()).params(), "exception_id": exception_id},
            )
            .pl()
            .to_dicts()
        )
        if not rows:
            raise UnknownExceptionError(
                f"{store_path}: no exception {exception_id!r}"
                " (see `recon exceptions list --status all`)"
            )
        one = {"exception_id": exception_id}
        evidence = con.sql(load_sql("recon.store", "evidence_rows"), params=one).pl()
        history = con.sql(load_sql("recon.store", "history"), params=one).pl()
        runs = con.execute(
            "SELECT run_id FROM recon_store.sightings WHERE exception_id = $exception_id"
            " ORDER BY run_id",
            one,
        ).fetchall()
        incidents = con.execute(
            "SELECT incident_id FROM recon_store.incident_tags"
            " WHERE exception_id = $exception_id ORDER BY incident_id",
            one,
        ).fetchall()
    return ExceptionDetail(
        exception=rows[0],
        evidence=evidence,
        history=history,
        runs_seen=tuple(r[0] for r in runs),
        incidents=tuple(r[0] for r in incidents),
    )


@contextmanager
def _aged_store(
    store_path: str | Path, as_of: datetime | None, sla: SlaPolicy | None, wait_seconds: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect()
    try:
        with attached_store(con, store_path, write=False, wait_seconds=wait_seconds):
            age_exceptions(con, as_of or datetime.now(UTC), sla or SlaPolicy())
            yield con
    finally:
        con.close()
