"""Read the exception store for analysts: the filtered, sorted, paged queue and one
exception in full.

Every read attaches the store read-only for as long as the query takes and hands back
polars frames or plain rows, so a running reconciliation is never kept waiting long.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from recon.config import SlaPolicy
from recon.errors import StoreError, UnknownExceptionError
from recon.sql import load_sql, quote_ident, run_statements
from recon.store.aging import age_exceptions
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.queue_columns import DEFAULT_SORT, SORTABLE, UNASSIGNED, VIEW_NAMES
from recon.store.reading import readable_store
from recon.store.statuses import OPEN_STATUSES

__all__ = [
    "DEFAULT_SORT",
    "MAX_PAGE_SIZE",
    "SAVED_VIEWS",
    "SORTABLE",
    "UNASSIGNED",
    "ExceptionDetail",
    "ExceptionFilter",
    "QueuePage",
    "QueueQuery",
    "exception_detail",
    "list_exceptions",
    "queue_page",
    "saved_view",
]

MAX_PAGE_SIZE = 1000
# the largest filter values queue.sql can compare: DECIMAL(18, 2) amounts, DECIMAL(12, 1) ages
_LIMITS = {
    "min amount": Decimal("9999999999999999.99"),
    "max amount": Decimal("9999999999999999.99"),
    "min age": Decimal("99999999999.9"),
    "max age": Decimal("99999999999.9"),
}


@dataclass(frozen=True)
class ExceptionFilter:
    """What `recon exceptions list` narrows the queue by; empty/None means no filter.

    `statuses` defaults to the open ones (the queue); pass `()` for every status.
    `breached`: True only those past their SLA due time, False only those within it.
    `assignee`: a name, or `"unassigned"` for those nobody holds.
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
    breached: bool | None = None
    channel: str | None = None
    incident_id: str | None = None

    def params(self) -> dict[str, object]:
        def many(values: tuple[str, ...]) -> list[str] | None:
            return [v.upper() for v in values] if values else None

        for label, value in (
            ("min amount", self.min_amount),
            ("max amount", self.max_amount),
            ("min age", self.min_age_hours),
            ("max age", self.max_age_hours),
        ):
            _check_range(label, value)
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
            "assignee": None if self.assignee == UNASSIGNED else self.assignee,
            "unassigned": self.assignee == UNASSIGNED,
            "run_id": self.run_id,
            "text": self.text or None,
            "exception_id": self.exception_id,
            "breached": self.breached,
            "channel": self.channel or None,
            "incident_id": self.incident_id or None,
        }


def _check_range(label: str, value: Decimal | int | None) -> None:
    """`StoreError` for a filter number the store's columns cannot hold (rather than an
    internal conversion error from DuckDB)."""
    if value is None:
        return
    limit = _LIMITS[label]
    number = Decimal(str(value))
    if not number.is_finite() or not -limit <= number <= limit:
        raise StoreError(f"{label} must be between -{limit} and {limit}, not {value}")


@dataclass(frozen=True)
class QueueQuery(ExceptionFilter):
    """The queue's filters plus an order and a page: `sort` is one of `SORTABLE` (ties
    broken by exception_id), `page` counts from 1."""

    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1
    page_size: int = 50

    def checked(self) -> QueueQuery:
        """This query, or `StoreError` naming what is wrong with its order or page."""
        if self.sort not in SORTABLE:
            raise StoreError(f"cannot sort by {self.sort!r}; sortable: {', '.join(SORTABLE)}")
        if not isinstance(self.page, int) or self.page < 1:
            raise StoreError(f"page must be 1 or more, not {self.page!r}")
        if not isinstance(self.page_size, int) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise StoreError(f"page size must be 1 to {MAX_PAGE_SIZE}, not {self.page_size!r}")
        return self


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its rows (dicts of the `SORTABLE` columns, money as Decimal,
    times as aware datetimes) and how many rows all pages hold."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the whole result fills (at least 1)."""
        return max(1, -(-self.total // self.page_size))


# the saved views: a user name -> the query of "their" view
SAVED_VIEWS: dict[str, Callable[[str], QueueQuery]] = {
    "mine": lambda user: QueueQuery(assignee=user),
    "breached": lambda user: QueueQuery(breached=True),
    "unassigned-high": lambda user: QueueQuery(assignee=UNASSIGNED, severities=("HIGH",)),
}
assert tuple(SAVED_VIEWS) == VIEW_NAMES


@dataclass(frozen=True)
class ExceptionDetail:
    """One exception for `show`: its fields, the source rows behind it, its history."""

    exception: dict[str, Any]
    evidence: pl.DataFrame  # position, source, key, file, line, row (JSON text), captured_run
    history: pl.DataFrame  # event_no, changed_at, actor, run_id, action, from/to status, note
    runs_seen: tuple[str, ...] = ()
    incidents: tuple[str, ...] = field(default_factory=tuple)
    comments: pl.DataFrame | None = None  # event_no, changed_at, actor, text
    # attachment_id, name, content_type, size, sha256, added_by, added_at, event_no
    attachments: pl.DataFrame | None = None

    @property
    def version(self) -> int:
        """The exception's version: what an action's `expected_version` must match."""
        return int(self.exception.get("version") or 1)

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
    """Every exception matching `filters`, aged as of `as_of` (default now); earliest SLA
    first, or in a `QueueQuery`'s order (all pages)."""
    filters = filters or ExceptionFilter()
    order = filters.checked() if isinstance(filters, QueueQuery) else QueueQuery()
    with _aged_store(store_path, as_of, sla, wait_seconds) as con:
        run_statements(con, load_sql("recon.store", "queue"), filters.params())
        return con.sql(_ordered(order), params={"limit": None, "offset": 0}).pl()


def queue_page(
    store_path: str | Path,
    query: QueueQuery,
    *,
    sla: SlaPolicy | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> QueuePage:
    """One page of the queue: the exceptions matching `query`, aged as of `now`, in its
    order, and how many match in all. A page past the last is empty."""
    query = query.checked()
    with _aged_store(store_path, now, sla, wait_seconds) as con:
        run_statements(con, load_sql("recon.store", "queue"), query.params())
        total = con.execute(load_sql("recon.store", "queue_count")).fetchone()
        cursor = con.execute(
            _ordered(query),
            {"limit": query.page_size, "offset": (query.page - 1) * query.page_size},
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return QueuePage(
        rows=rows, total=int(total[0]) if total else 0, page=query.page, page_size=query.page_size
    )


def saved_view(name: str, user: str) -> QueueQuery:
    """The saved view `name` (a key of `SAVED_VIEWS`) for `user`, or `StoreError`."""
    if name not in SAVED_VIEWS:
        raise StoreError(f"no saved view {name!r}; one of {', '.join(SAVED_VIEWS)}")
    return SAVED_VIEWS[name](user)


def _ordered(query: QueueQuery) -> str:
    """queue_page.sql ordered by the query's column: a name from SORTABLE only."""
    column = SORTABLE[SORTABLE.index(query.sort)]
    direction = "DESC" if query.descending else "ASC"
    return load_sql("recon.store", "queue_page").replace(
        "/*sort*/", f"{quote_ident(column)} {direction} NULLS LAST"
    )


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
        one = {"exception_id": exception_id}
        run_statements(
            con, load_sql("recon.store", "queue"), ExceptionFilter(statuses=(), **one).params()
        )
        rows = con.sql(_ordered(QueueQuery()), params={"limit": None, "offset": 0}).pl().to_dicts()
        if not rows:
            raise UnknownExceptionError(
                f"{store_path}: no exception {exception_id!r}"
                " (see `recon exceptions list --status all`)"
            )
        evidence = con.sql(load_sql("recon.store", "evidence_rows"), params=one).pl()
        history = con.sql(load_sql("recon.store", "history"), params=one).pl()
        comments = con.sql(load_sql("recon.store", "comments"), params=one).pl()
        attachments = con.sql(load_sql("recon.store", "attachments_of"), params=one).pl()
        runs = con.execute(
            "SELECT s.run_id FROM recon_store.sightings AS s"
            " LEFT JOIN recon_store.runs AS r USING (run_id)"
            " WHERE s.exception_id = $exception_id"
            " ORDER BY r.run_no NULLS FIRST, r.started_at, s.run_id",  # ids sort by second only
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
        comments=comments,
        attachments=attachments,
    )


@contextmanager
def _aged_store(
    store_path: str | Path, as_of: datetime | None, sla: SlaPolicy | None, wait_seconds: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        age_exceptions(con, as_of or datetime.now(UTC), sla or SlaPolicy())
        yield con
