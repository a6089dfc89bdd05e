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
from recon.web.library import read, write
from recon.web.views import decidable, form_int, masker, remedy, rows

router = APIRouter()

Me = Annotated[User, Depends(current_user)]
Version = Annotated[str | None, Form()]
Note = Annotated[str, Form(max_length=10_000)]
Back = Annotated[str, Form(max_length=2000)]
DONE = {"approved": "Approved.", "rejected": "Rejected.", "posted": "Posting recorded."}


@router.get("/approvals")
def approvals(request: Request, me: Me, done: str = "") -> Response:
    settings = settings_of(request)
    now = settings.clock()
    mask = masker(me, settings.config)
    limit = applied_limit(request)
    waiting = decidable(_proposals(request, "PROPOSED"), me, limit, mask)
    unposted = [remedy(p, mask) for p in rows(_proposals(request, "APPROVED"))]
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
            "alerts": read(request, proposals.alerts, active_only=True),
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
    note: Note = "",
    back: Back = "",
) -> Response:
    return _decide(request, me, "approve", proposal_id, version, note, back)


@router.post("/proposals/{proposal_id}/reject")
def reject(
    request: Request,
    proposal_id: str,
    me: Me,
    version: Version = None,
    note: Note = "",
    back: Back = "",
) -> Response:
    return _decide(request, me, "reject", proposal_id, version, note, back)


def _decide(
    request: Request,
    me: User,
    verb: str,
    proposal_id: str,
    version: str | None,
    note: str,
    back: str,
) -> Response:
    """Approve or reject: the same checks (the role here, then the library's one rule)."""
    require(me, verb)
    write(
        request,
        proposals.approve if verb == "approve" else proposals.reject,
        proposal_id,
        actor=me.name,
        note=note,
        expected_version=form_int(version),
        thresholds=settings_of(request).config.approvals,
    )
    return _back(back, "approved" if verb == "approve" else "rejected")


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
    write(
        request,
        proposals.post,
        proposal_id,
        actor=me.name,
        posting_ref=posting_ref,
        expected_version=form_int(version),
    )
    return _back(back, "posted")


def _back(back: str, done: str) -> RedirectResponse:
    """To the page the form was on (an exception page or the approvals page)."""
    target = (local_path(back) or "").split("?", 1)[0]
    if not target.startswith(("/exceptions/", "/approvals")):
        target = "/approvals"
    return RedirectResponse(f"{target}?done={done}", status_code=303)


def applied_limit(request: Request) -> ApprovalPolicy:
    """The approval limit the library will apply to this server's decisions: the store's,
    or the config's `[approvals]` where that is lower."""
    return stricter(settings_of(request).config.approvals, read(request, approval_limit))


def _proposals(request: Request, state: str) -> list[proposals.Proposal]:
    return read(request, proposals.list_proposals, states=(state,))
