"""The queue: filters as a GET form, sort by column, pages, saved views, bulk actions.

Without JavaScript every control is a plain link or form; with htmx the filter form, the
sort headers and the pager refresh only the results (`#queue-results`) and push the URL, and
"Take" assigns one row in place.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from recon.errors import StoreError
from recon.store import actions, proposals, queries
from recon.store.statuses import OPEN_STATUSES, RESOLUTION_CODES, STATUSES
from recon.store.users import User
from recon.web.failures import for_the_page, is_htmx
from recon.web.guards import current_user, may, require, settings_of
from recon.web.library import read, write
from recon.web.views import masker

router = APIRouter()

Me = Annotated[User, Depends(current_user)]

SEVERITIES = ("HIGH", "MEDIUM", "LOW")
TYPES = ("DUPLICATE_DEBIT", "HALF_COMPLETED", "AMOUNT_MISMATCH", "INVOICE")
BULK_ACTIONS = ("assign", "resolve", "reopen")
VIEWS = {"mine": "My items", "breached": "Breached", "unassigned-high": "Unassigned HIGH"}
# the queue's columns: (key, heading); a heading links to sort by it when SORTABLE has it
COLUMNS = (
    ("exception_id", "Exception"),
    ("type", "Type"),
    ("subtype", "Subtype"),
    ("txn_ref", "Txn ref"),
    ("customer_id", "Customer"),
    ("channel", "Channel"),
    ("amount", "Amount"),
    ("status", "Status"),
    ("severity", "Severity"),
    ("age_hours", "Age (h)"),
    ("sla_due_at", "SLA due"),
    ("assignee", "Assignee"),
)


# the filters behind "More filters" (a closed <details> unless one is in use)
NARROW_FIELDS = (
    "subtype",
    "breached",
    "assignee",
    "min_amount",
    "max_amount",
    "min_age",
    "max_age",
    "channel",
    "customer",
    "incident",
    "text",
)


class BadFilter(StoreError):
    """A filter value that is not what its field takes (an amount that is not a number)."""


def query_from(params: Any, me: User, page_size: int) -> tuple[queries.QueueQuery, dict]:
    """The QueueQuery a GET form asks for, and the form's values to show back in it."""
    view = params.get("view") or ""
    if view in VIEWS:
        base = queries.saved_view(view, me.name)
    else:
        view = ""
        statuses = tuple(s for s in params.getlist("status") if s)
        base = queries.QueueQuery(
            statuses=() if "ALL" in statuses else (statuses or OPEN_STATUSES),
            types=tuple(t for t in params.getlist("type") if t),
            subtypes=_words(params.get("subtype")),
            severities=tuple(s for s in params.getlist("severity") if s),
            breached={"yes": True, "no": False}.get(params.get("breached") or ""),
            assignee=_text(params.get("assignee")),
            min_amount=_decimal(params, "min_amount"),
            max_amount=_decimal(params, "max_amount"),
            min_age_hours=_decimal(params, "min_age"),
            max_age_hours=_decimal(params, "max_age"),
            channel=_text(params.get("channel")),
            customer=_text(params.get("customer")),
            incident_id=_text(params.get("incident")),
            text=_text(params.get("text")),
        )
    sort = params.get("sort") or queries.DEFAULT_SORT
    if sort not in queries.SORTABLE:
        sort = queries.DEFAULT_SORT
    query = replace(
        base,
        sort=sort,
        descending=params.get("desc") == "1",
        page=_page_number(params.get("page")),
        page_size=page_size,
    )
    shown = {key: params.get(key) or "" for key in NARROW_FIELDS}
    shown.update(
        status=params.getlist("status"),
        type=params.getlist("type"),
        severity=params.getlist("severity"),
        view=view,
    )
    return query, shown


@router.get("/queue")
def queue(request: Request, me: Me) -> Response:
    query, shown = query_from(request.query_params, me, settings_of(request).page_size)
    context = _context(request, me, query, _read_page(request, query), shown)
    pages = request.app.state.pages
    if is_htmx(request) and request.headers.get("hx-target") == "queue-results":
        # the results, and the filter form's sort fields out of band (kept in step)
        return pages.page(request, "_queue_results.html", {**context, "partial": True})
    alerts = read(request, proposals.alerts, active_only=True)
    return pages.page(request, "queue.html", {**context, "alerts": alerts})


async def row_versions(request: Request) -> dict[str, int]:
    """The version each row had when the queue was shown (hidden `v.<id>` fields), so a bulk
    change of a row someone changed since is refused for that row, not applied over it."""
    form = await request.form()
    return {
        key[2:]: int(value)
        for key, value in form.multi_items()
        if key.startswith("v.") and isinstance(value, str) and value.isdigit()
    }


@router.post("/queue/bulk")
def bulk(
    request: Request,
    me: Me,
    versions: Annotated[dict[str, int], Depends(row_versions)],
    action: Annotated[str, Form(max_length=20)],
    ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    bulk_note: Annotated[str, Form(max_length=10_000)] = "",
    bulk_code: Annotated[str, Form(max_length=40)] = "",
    bulk_to: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """One action with one note over the ticked rows; each row's own outcome is shown.
    (The fields are named `bulk_*` so a row's own "Take" button, in the same form, never
    picks them up.)"""
    note, code, to = bulk_note, bulk_code, bulk_to
    if action not in BULK_ACTIONS:
        raise StoreError(f"bulk does assign, resolve or reopen; not {action!r}")
    to = to.strip() or me.name
    require(me, action, assignee=to if action == "assign" else None)
    if not ids:
        raise StoreError("tick at least one exception first")
    outcomes = write(
        request,
        actions.bulk,
        ids,
        action,
        actor=me.name,
        note=note.strip() or None,
        to=to if action == "assign" else None,
        code=code if action == "resolve" else None,
        expected_versions=versions,
    )
    done = sum(1 for o in outcomes if o.ok)
    shown = [replace(o, message=for_the_page(o.message)) for o in outcomes]
    return request.app.state.pages.page(
        request,
        "bulk_result.html",
        {"title": "Bulk result", "action": action, "outcomes": shown, "done": done},
    )


def row_response(request: Request, exception_id: str, me: User) -> Response:
    """One queue row (after an inline "Take"), rendered as the table renders it."""
    query = queries.QueueQuery(statuses=(), exception_id=exception_id, page_size=1)
    context = _context(request, me, query, _read_page(request, query), {})
    context["row"] = context["rows"][0] if context["rows"] else None
    return request.app.state.pages.page(request, "_queue_row.html", context)


def _context(
    request: Request, me: User, query: queries.QueueQuery, page: queries.QueuePage, shown: dict
) -> dict[str, Any]:
    mask = masker(me, settings_of(request).config)
    shown_rows = []
    for row in page.rows:
        row = dict(row)
        row["customer_id"] = mask(row.get("customer_id"))
        row["account_id"] = mask(row.get("account_id"))
        shown_rows.append(row)
    return {
        "title": "Queue",
        "rows": shown_rows,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "query": query,
        "form": shown,
        "narrowed": any(shown.get(k) for k in NARROW_FIELDS),
        "columns": COLUMNS,
        "sortable": queries.SORTABLE,
        "views": VIEWS,
        "statuses": (*STATUSES, "ALL"),
        "types": TYPES,
        "severities": SEVERITIES,
        "codes": RESOLUTION_CODES,
        "may": lambda action: may(me, action),
        "bulk": any(may(me, action) for action in BULK_ACTIONS),
        "me": me,
    }


def _read_page(request: Request, query: queries.QueueQuery) -> queries.QueuePage:
    """One page of the queue as of the app's clock, graded by the config's `[sla]`."""
    settings = settings_of(request)
    return read(request, queries.queue_page, query, sla=settings.config.sla, now=settings.clock())


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(w for w in (value or "").replace(",", " ").split() if w)


def _decimal(params: Any, key: str) -> Decimal | None:
    value = (params.get(key) or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise BadFilter(f"{key.replace('_', ' ')} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise BadFilter(f"{key.replace('_', ' ')} must be a number, not {value!r}")
    return number


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1_000_000))
    except ValueError:
        return 1
