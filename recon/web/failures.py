"""How the app answers when something goes wrong: a page a person can act on, never a stack
trace. Each library error maps to one status; htmx requests get the message as a fragment
swapped into the page's message area."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from recon.errors import (
    ClaimedError,
    IllegalTransitionError,
    PermissionDenied,
    ReconError,
    StaleVersionError,
    StoreBusyError,
    UnknownExceptionError,
    one_line,
)
from recon.web.guards import CsrfRefused, LoginRequired, back_link, settings_of
from recon.web.headers import SECURITY_HEADERS, BodyTooLarge

log = logging.getLogger("recon.web")

BUSY_MESSAGE = "A reconciliation run is committing the store; try again in a few seconds."

# library error -> (status, title)
_STATUS: list[tuple[type[Exception], int, str]] = [
    (PermissionDenied, 403, "Not allowed"),
    (StaleVersionError, 409, "Changed by someone else"),
    (ClaimedError, 409, "Held by someone else"),
    (IllegalTransitionError, 409, "Not possible in this status"),
    (UnknownExceptionError, 404, "Not found"),
    (ReconError, 400, "Cannot do that"),
]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def error_page(
    request: Request,
    status: int,
    title: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    hint: str = "",
) -> Response:
    pages = request.app.state.pages
    context = {
        "title": title,
        "message": message,
        "status": status,
        "hint": hint,
        "back": back_link(request),
    }
    if is_htmx(request):
        html = pages.render("_message.html", kind="error", **context)
        return HTMLResponse(
            html,
            status_code=status,
            headers={**(headers or {}), "HX-Retarget": "#messages", "HX-Reswap": "innerHTML"},
        )
    return pages.page(request, "error.html", context, status_code=status, headers=headers)


# the library's hints for the command line, which mean nothing on a page: "(--note)",
# "(see `recon exceptions list --status all`)", "a lead's `recon exceptions reassign`"
_CLI_HINTS = (
    (re.compile(r" \((?:see )?`recon [^`]*`(?: and `recon [^`]*`)?\)"), ""),
    (re.compile(r" \(--[a-z][a-z-]*\)"), ""),
    (re.compile(r"`recon exceptions ([a-z]+)`"), r"\1"),
)


def for_the_page(message: str) -> str:
    """A library message as a page shows it: without the command line's hints (an option
    to give, a command to run), which the page's own forms replace."""
    for pattern, replacement in _CLI_HINTS:
        message = pattern.sub(replacement, message)
    return message


def _shown(request: Request, err: Exception) -> str:
    """The library's one-line message without the store's folder: the path in front of a
    message goes, one inside it becomes the file's name (the server's file system is none
    of the page's business)."""
    from recon.store.location import looks_like_url

    message = one_line(err)
    store = settings_of(request).store_path
    prefix = f"{store}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    # a PostgreSQL store's URL names its server and role: not the page's business either
    shown = "the exception store" if looks_like_url(store) else Path(store).name
    return for_the_page(message.replace(str(store), shown))


def _holder(message: str) -> str:
    """Who holds the store, from the library's busy message ("... is in use by run R (pid P,
    since T); gave up waiting ..."), without the store's path."""
    found = re.search(r"in use by (.+?); gave up", message)
    return f"Held by {found.group(1)}." if found else ""


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    async def library_error(request: Request, err: Exception) -> Response:
        for kind, status, title in _STATUS:
            if isinstance(err, kind):
                hint = ""
                if isinstance(err, StaleVersionError):
                    hint = "Nothing was changed. Reload the page to see the current state."
                return error_page(request, status, title, _shown(request, err), hint=hint)
        raise err  # pragma: no cover - every ReconError matches the last entry

    async def busy(request: Request, err: Exception) -> Response:
        retry = str(settings_of(request).busy_retry_seconds)
        return error_page(
            request,
            503,
            "The store is busy",
            BUSY_MESSAGE,
            headers={"Retry-After": retry},
            hint=_holder(one_line(err)),
        )

    async def csrf(request: Request, err: Exception) -> Response:
        return error_page(
            request,
            403,
            "Form refused",
            "missing or wrong CSRF token",
            hint="Reload the page and send the form again.",
        )

    async def login(request: Request, err: Exception) -> Response:
        assert isinstance(err, LoginRequired)
        target = request.url.path if request.method == "GET" else "/"
        if request.method == "GET" and request.url.query:
            target += "?" + request.url.query
        url = f"/login?why={err.why}&next={quote(target, safe='')}"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    async def too_large(request: Request, err: Exception) -> Response:
        limit = settings_of(request).max_upload_bytes // (1024 * 1024)
        return error_page(request, 413, "Too large", f"At most {limit} MB per upload.")

    async def http_error(request: Request, err: Exception) -> Response:
        assert isinstance(err, HTTPException)
        titles = {404: "Not found", 405: "Not allowed here"}
        message = {404: "There is no such page."}.get(err.status_code, str(err.detail))
        return error_page(
            request,
            err.status_code,
            titles.get(err.status_code, "Error"),
            message,
            headers=dict(err.headers or {}),
        )

    async def bad_form(request: Request, err: Exception) -> Response:
        assert isinstance(err, RequestValidationError)
        fields = sorted({str(e.get("loc", ("", "?"))[-1]) for e in err.errors()})
        return error_page(
            request, 400, "Incomplete form", f"Check the field(s): {', '.join(fields)}."
        )

    async def crash(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        response = error_page(
            request,
            500,
            "Internal error",
            f"internal error: {type(err).__name__}. Nothing more is shown here; the server"
            " log has the details.",
        )
        for name, value in SECURITY_HEADERS.items():  # sent outside the header middleware
            response.headers[name] = value
        response.headers["cache-control"] = "no-store"
        return response

    app.add_exception_handler(ReconError, library_error)
    app.add_exception_handler(StoreBusyError, busy)
    app.add_exception_handler(CsrfRefused, csrf)
    app.add_exception_handler(LoginRequired, login)
    app.add_exception_handler(BodyTooLarge, too_large)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, bad_form)
    app.add_exception_handler(Exception, crash)
