"""One exception: its evidence side by side, proposals, history, comments, attachments, and
the forms that change it. Every form carries the `version` it was rendered from, so a change
someone else made in between is refused ("changed by X at T"), never overwritten."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from recon.store import actions, proposals, queries
from recon.store.attachments import AttachmentError
from recon.store.statuses import RESOLUTION_CODES
from recon.store.users import User
from recon.web.failures import is_htmx
from recon.web.guards import current_user, may, require, settings_of
from recon.web.library import read, write
from recon.web.pages.approvals import applied_limit
from recon.web.views import decidable, form_int, masker, remedy, rows, side_by_side

router = APIRouter()

SOURCE_ORDER = {"ledger": 0, "channel": 1, "gateway": 2, "invoices": 3}

# ?done=<key> after a change: a fixed sentence (nothing from the request is echoed)
DONE = {
    "assigned": "Assigned.",
    "reassigned": "Reassigned.",
    "resolved": "Resolved.",
    "reopened": "Reopened.",
    "commented": "Comment added.",
    "attached": "File attached.",
    "proposed": "Proposed for approval.",
    "approved": "Approved.",
    "rejected": "Rejected.",
    "posted": "Posting recorded.",
    "acknowledged": "Alert acknowledged.",
}

Me = Annotated[User, Depends(current_user)]
Version = Annotated[str | None, Form()]
Note = Annotated[str, Form(max_length=10_000)]


def page_of(exception_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(
        f"/exceptions/{quote(exception_id, safe='')}?done={done}", status_code=303
    )


@router.get("/exceptions/{exception_id}")
def exception_page(request: Request, exception_id: str, me: Me, done: str = "") -> Response:
    settings = settings_of(request)
    detail = read(
        request,
        queries.exception_detail,
        exception_id,
        sla=settings.config.sla,
        as_of=settings.clock(),
    )
    remedies = read(request, proposals.remedies_of, exception_id)
    mask = masker(me, settings.config)
    evidence = side_by_side(rows(detail.evidence), mask)
    evidence["columns"].sort(key=lambda c: SOURCE_ORDER.get(c["source"], 9))
    exception = dict(detail.exception)
    for key in ("customer_id", "account_id"):
        exception[key] = mask(exception.get(key))
    return request.app.state.pages.page(
        request,
        "exception.html",
        {
            "title": exception_id,
            "e": exception,
            "version": getattr(detail, "version", None) or exception.get("version"),
            "evidence": evidence,
            "history": rows(detail.history),
            "comments": rows(getattr(detail, "comments", None)),
            "attachments": rows(getattr(detail, "attachments", None)),
            "runs_seen": detail.runs_seen,
            "incidents": detail.incidents,
            "suggestions": [remedy(s, mask) for s in remedies["suggestions"]],
            "proposals": decidable(remedies["proposals"], me, applied_limit(request), mask),
            "alerts": remedies["alerts"],
            "codes": RESOLUTION_CODES,
            "done": DONE.get(done, ""),
            "may": lambda action: may(me, action),
            "me": me,
            "mask": mask,
        },
    )


@router.post("/exceptions/{exception_id}/assign")
def assign(
    request: Request,
    exception_id: str,
    me: Me,
    version: Version = None,
    to: Annotated[str, Form(max_length=200)] = "",
    note: Note = "",
) -> Response:
    to = to.strip() or me.name
    require(me, "assign", assignee=to)
    write(
        request,
        actions.assign,
        exception_id,
        to=to,
        actor=me.name,
        note=note.strip() or None,
        expected_version=form_int(version),
    )
    if is_htmx(request):
        return queue_row(request, exception_id, me)
    return page_of(exception_id, "assigned")


@router.post("/exceptions/{exception_id}/reassign")
def reassign(
    request: Request,
    exception_id: str,
    me: Me,
    to: Annotated[str, Form(max_length=200)],
    version: Version = None,
    note: Note = "",
) -> Response:
    require(me, "reassign")
    write(
        request,
        actions.reassign,
        exception_id,
        to=to.strip(),
        note=note,
        actor=me.name,
        expected_version=form_int(version),
    )
    return page_of(exception_id, "reassigned")


@router.post("/exceptions/{exception_id}/resolve")
def resolve(
    request: Request,
    exception_id: str,
    me: Me,
    code: Annotated[str, Form(max_length=40)] = "",
    version: Version = None,
    note: Note = "",
) -> Response:
    require(me, "resolve")
    write(
        request,
        actions.resolve,
        exception_id,
        code=code,
        note=note,
        actor=me.name,
        expected_version=form_int(version),
    )
    return page_of(exception_id, "resolved")


@router.post("/exceptions/{exception_id}/reopen")
def reopen(
    request: Request, exception_id: str, me: Me, version: Version = None, note: Note = ""
) -> Response:
    require(me, "reopen")
    write(
        request,
        actions.reopen,
        exception_id,
        note=note,
        actor=me.name,
        expected_version=form_int(version),
    )
    return page_of(exception_id, "reopened")


@router.post("/exceptions/{exception_id}/comment")
def comment(request: Request, exception_id: str, me: Me, text: Note = "") -> Response:
    """A comment never conflicts with another change, so it is not version-checked."""
    require(me, "comment")
    write(
        request,
        actions.add_comment,
        exception_id,
        text=text,
        actor=me.name,
    )
    return page_of(exception_id, "commented")


@router.post("/exceptions/{exception_id}/attach")
def attach(
    request: Request, exception_id: str, me: Me, file: Annotated[UploadFile, File()]
) -> Response:
    require(me, "attach")
    limit = settings_of(request).max_upload_bytes
    content = file.file.read(limit + 1)
    write(
        request,
        actions.add_attachment,
        exception_id,
        name=file.filename or "",
        content=content,
        content_type=file.content_type,
        max_bytes=limit,
        actor=me.name,
    )
    return page_of(exception_id, "attached")


@router.get("/attachments/{attachment_id}")
def download(request: Request, attachment_id: int, me: Me) -> Response:
    """The file as a download only: never rendered by the browser (its own content type is
    not trusted: it is sent as application/octet-stream, attachment, nosniff, sandboxed)."""
    require(me, "view")
    try:
        found = read(request, actions.get_attachment, attachment_id)
    except AttachmentError:
        raise HTTPException(404) from None
    return Response(
        found.content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": _disposition(found.name),
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Content-Type-Options": "nosniff",
            "X-Recon-SHA256": found.sha256,
        },
    )


@router.post("/exceptions/{exception_id}/propose")
def propose(
    request: Request,
    exception_id: str,
    me: Me,
    kind: Annotated[str, Form(max_length=40)],
    suggestion_id: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    require(me, "propose")
    write(
        request,
        proposals.propose,
        exception_id,
        kind,
        suggestion_id=suggestion_id or None,
        actor=me.name,
    )
    return page_of(exception_id, "proposed")


@router.post("/exceptions/{exception_id}/acknowledge")
def acknowledge(request: Request, exception_id: str, me: Me, note: Note = "") -> Response:
    """Take a double-credit alert off the queue with a note on what was checked."""
    require(me, "resolve")
    write(
        request,
        proposals.acknowledge_alert,
        exception_id,
        actor=me.name,
        note=note,
    )
    return page_of(exception_id, "acknowledged")


def queue_row(request: Request, exception_id: str, me: User) -> Response:
    """The queue's row of one exception, re-rendered after an inline change (htmx)."""
    from recon.web.pages.queue import row_response

    return row_response(request, exception_id, me)


def _disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266)."""
    ascii_name = (
        "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
        or "attachment"
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
