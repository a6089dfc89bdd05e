"""The team lead's dashboard: open items and money by type, channel and age; SLA; approvals
waiting; findings over time against incident windows; per-analyst throughput. Tables and
SVG bars drawn on the server (no charting library, no script)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from recon.store import proposals
from recon.store.dashboard import dashboard
from recon.store.users import User
from recon.web.guards import current_user, settings_of
from recon.web.library import read

router = APIRouter()

Me = Annotated[User, Depends(current_user)]

CHART_WIDTH = 720
CHART_HEIGHT = 160


@router.get("/dashboard")
def dashboard_page(request: Request, me: Me) -> Response:
    settings = settings_of(request)
    figures = read(request, dashboard, sla=settings.config.sla, as_of=settings.clock())
    waiting = read(request, proposals.list_proposals, states=("PROPOSED",))
    unposted = read(request, proposals.list_proposals, states=("APPROVED",))
    return request.app.state.pages.page(
        request,
        "dashboard.html",
        {
            "title": "Dashboard",
            "d": figures,
            "open_by": {k: with_bars(v) for k, v in figures.open_by.items()},
            "totals": totals(figures.open_by["type"], figures.held),
            "sla": [with_compliance(r) for r in figures.sla],
            "waiting": len(waiting),
            "unposted": len(unposted),
            "chart": timeline_chart(figures.timeline, figures.bucket_minutes, figures.incidents),
        },
    )


def with_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with `bar`: its item count as a share (0-100) of the largest in the table."""
    top = max((r["items"] for r in rows), default=0) or 1
    return [{**r, "bar": round(100 * r["items"] / top)} for r in rows]


def totals(rows: list[dict[str, Any]], held: dict[Any, Any]) -> list[dict[str, Any]]:
    """Open items and money per currency (money in different currencies is never added):
    `amount` sums the exceptions, `held` counts each transfer once, as report.html does."""
    by: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"items": 0, "amount": Decimal(0), "breached": 0}
    )
    for row in rows:
        one = by[row["currency"]]
        one["items"] += row["items"]
        one["amount"] += row["amount"] or Decimal(0)
        one["breached"] += row["breached"]
    return [{"currency": c, **v, "held": held.get(c, v["amount"])} for c, v in sorted(by.items())]


def with_compliance(row: dict[str, Any]) -> dict[str, Any]:
    """`compliance`: the share of resolved items resolved within their SLA, or None."""
    resolved = row["resolved"]
    share = None if not resolved else (Decimal(100) * row["resolved_in_time"] / resolved)
    return {**row, "compliance": None if share is None else share.quantize(Decimal("0.1"))}


def timeline_chart(
    timeline: list[dict[str, Any]], minutes: int, incidents: list[dict[str, Any]]
) -> dict[str, Any]:
    """Bars (x, width, height in the SVG's units) per time bucket, empty buckets included,
    and the incidents' spans as shaded bands over them."""
    if not timeline:
        return {"bars": [], "bands": [], "width": CHART_WIDTH, "height": CHART_HEIGHT}
    step = timedelta(minutes=minutes)
    first: datetime = timeline[0]["bucket_start"]
    last: datetime = timeline[-1]["bucket_start"]
    count = int((last - first) / step) + 1
    by_start = {r["bucket_start"]: r for r in timeline}
    top = max(r["findings"] for r in timeline) or 1
    slot = CHART_WIDTH / count
    bars = []
    for i in range(count):
        start = first + i * step
        row = by_start.get(start, {"findings": 0, "still_open": 0})
        height = round(CHART_HEIGHT * row["findings"] / top, 1)
        bars.append(
            {
                "x": round(i * slot, 1),
                "width": round(max(slot - 1, 1), 1),
                "y": round(CHART_HEIGHT - height, 1),
                "height": height,
                "start": start,
                "end": start + step,
                "findings": row["findings"],
                "still_open": row["still_open"],
            }
        )
    end = first + count * step
    bands = []
    for incident in incidents:
        a, b = max(incident["first_at"], first), min(incident["last_at"], end)
        if b < a:
            continue
        x0 = CHART_WIDTH * ((a - first) / (end - first))
        x1 = CHART_WIDTH * ((b - first) / (end - first))
        bands.append({**incident, "x": round(x0, 1), "width": round(max(x1 - x0, 2), 1)})
    return {
        "bars": bars,
        "bands": bands,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first": first,
        "end": end,
        "top": top,
        "minutes": minutes,
    }
