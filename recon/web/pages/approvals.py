"""Approvals: proposals waiting for a decision, approved ones not yet posted (with their
age), double-credit alerts; and the approve / reject / post forms. Who may approve what is
the library's one maker-checker rule (`proposals.check_approval`), not this page's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from recon.config import ApprovalPolicy
from recon.store import proposals
from recon.store.approval_limit import approval_limit, stricter
from recon.store.users import User
from recon.web.guards import current_user, local_path, may, require, settings_of
from recon.web.library import call
from recon.web.settings import WebSettings
from recon.web.views import decidable, form_int, masker, remedy, rows

router = APIRouter()

Me = Annotated[User, Depends(current_user)]
Version = Annotated[str | None, Form()]
Back = Annotated[str, Form(max_length=2000)]
DONE = {"approved": "Approved.", "rejected": "Rejected.", "posted": "Posting recorded."}


@router.get("/approvals")
def approvals(request: Request, me: Me, done: str = "") -> Response:
    settings = settings_of(request)
    wait = settings.busy_wait_seconds
    now = settings.clock()
    mask = masker(me, settings.config)
    limit = applied_limit(settings)
    waiting = decidable(_proposals(settings, "PROPOSED"), me, limit, mask)
    unposted = [remedy(p, mask) for p in rows(_proposals(settings, "APPROVED"))]
    for item in unposted:
        decided = item.get("decided_at")
        item["age_hours"] = None if decided is None else (now - decided).total_seconds() / 3600
    unposted.sort(key=lambda p: -(p["age_hours"] or 0))
    return request.app.state.pages.page(
        request,
        "approvals.html",
        {
            "title": "Approvals",
            "waiting": waiting,
            "unposted": unposted,
            "alerts": call(proposals.alerts, settings.store_path, active_only=True, wait=wait),
            "may": lambda action: may(me, action),
            "me": me,
            "done": DONE.get(done, ""),
            "admin_above": limit.admin_above,
        },
    )


@router.post("/proposals/{proposal_id}/approve")
def approve(
    request: Request,
    proposal_id: str,
    me: Me,
    version: Version = None,
    note: Annotated[str, Form(max_length=10_000)] = "",
    back: Back = "",
) -> Response:
    require(me, "approve")
    settings = settings_of(request)
    call(
        proposals.approve,
        settings.store_path,
        proposal_id,
        actor=me.name,
        note=note,
        expected_version=form_int(version),
        thresholds=settings.config.approvals,
        write=True,
        wait=settings.busy_wait_seconds,
    )
    return _back(back, "approved")


@router.post("/proposals/{proposal_id}/reject")
def reject(
    request: Request,
    proposal_id: str,
    me: Me,
    version: Version = None,
    note: Annotated[str, Form(max_length=10_000)] = "",
    back: Back = "",
) -> Response:
    require(me, "reject")
    settings = settings_of(request)
    call(
        proposals.reject,
        settings.store_path,
        proposal_id,
        actor=me.name,
        note=note,
        expected_version=form_int(version),
        thresholds=settings.config.approvals,
        write=True,
        wait=settings.busy_wait_seconds,
    )
    return _back(back, "rejected")


@router.post("/proposals/{proposal_id}/post")
def post(
    request: Request,
    proposal_id: str,
    me: Me,
    version: Version = None,
    posting_ref: Annotated[str, Form(max_length=200)] = "",
    back: Back = "",
) -> Response:
    require(me, "post")
    settings = settings_of(request)
    call(
        proposals.post,
        settings.store_path,
        proposal_id,
        actor=me.name,
        posting_ref=posting_ref,
        expected_version=form_int(version),
        write=True,
        wait=settings.busy_wait_seconds,
    )
    return _back(back, "posted")


def _back(back: str, done: str) -> RedirectResponse:
    """To the page the form was on (an exception page or the approvals page)."""
    target = (local_path(back) or "").split("?", 1)[0]
    if not target.startswith(("/exceptions/", "/approvals")):
        target = "/approvals"
    return RedirectResponse(f"{target}?done={done}", status_code=303)


def applied_limit(settings: WebSettings) -> ApprovalPolicy:
    """The approval limit the library will apply to this server's decisions: the store's,
    or the config's `[approvals]` where that is lower."""
    stored = call(approval_limit, settings.store_path, wait=settings.busy_wait_seconds)
    return stricter(settings.config.approvals, stored)


def _proposals(settings: WebSettings, state: str) -> list[proposals.Proposal]:
    return call(
        proposals.list_proposals,
        settings.store_path,
        states=(state,),
        wait=settings.busy_wait_seconds,
    )
