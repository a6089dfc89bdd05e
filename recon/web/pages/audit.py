"""The store-wide audit log: who did what, when, from/to, note, run, OS user; filtered by
actor and day (in the configured time zone). Reads through `recon.store.audit.audit_log`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from recon.errors import StoreError
from recon.store.audit import LogFilter, audit_log
from recon.store.users import User
from recon.web.guards import current_user, settings_of
from recon.web.library import read
from recon.web.views import rows

router = APIRouter()

Me = Annotated[User, Depends(current_user)]
MAX_ROWS = 1000  # more than a page can usefully show; narrow by actor or day


@router.get("/audit")
def audit_page(request: Request, me: Me, actor: str = "", day: str = "") -> Response:
    settings = settings_of(request)
    zone = ZoneInfo(settings.config.timezone)
    actor = actor.strip()
    since = until = None
    if day.strip():
        try:
            chosen = date.fromisoformat(day.strip())
            since = datetime.combine(chosen, time(0), tzinfo=zone)
            until = since + timedelta(days=1)
        except (ValueError, OverflowError):  # not a date, or the calendar's last day
            raise StoreError(f"day must be a date like 2024-03-15, not {day!r}") from None
    events = rows(
        read(request, audit_log, LogFilter(actor=actor or None, since=since, until=until))
    )
    total = len(events)
    shown = events[-MAX_ROWS:][::-1]  # newest first
    return request.app.state.pages.page(
        request,
        "audit.html",
        {
            "title": "Audit log",
            "events": shown,
            "total": total,
            "limited": total > MAX_ROWS,
            "max_rows": MAX_ROWS,
            "actor": actor,
            "day": day.strip(),
        },
    )
