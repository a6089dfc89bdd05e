"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from recon.store import users
from recon.web.failures import error_page
from recon.web.guards import LOGIN_REASONS, local_path, settings_of
from recon.web.library import read
from recon.web.net import client_address

router = APIRouter()

WRONG = "Wrong user name or password."  # the same for an unknown name: nothing to probe


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//evil` or a URL)."""
    return local_path(target) or "/queue"


@router.get("/login")
def login_page(request: Request, why: str = "", next: str = "/queue") -> Response:
    session = request.state.session
    if session.user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = LOGIN_REASONS.get(why, "")
    return request.app.state.pages.page(
        request, "login.html", {"notice": notice, "next": safe_next(next), "name": ""}
    )


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/queue",
) -> Response:
    settings = settings_of(request)
    limiter = request.app.state.limiter
    address = client_address(request)
    wait = limiter.retry_after(name, address)
    if wait is not None:
        return error_page(
            request,
            429,
            "Too many attempts",
            f"Too many failed sign-ins for this name or from this address; try again in"
            f" {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    user = read(request, users.authenticate, name, password)
    if user is None:
        limiter.failed(name, address)
        return request.app.state.pages.page(
            request,
            "login.html",
            {"error": WRONG, "next": safe_next(next), "name": name, "notice": ""},
            status_code=401,
        )
    limiter.succeeded(name)
    request.state.session = request.state.session.signed_in(user.name, settings.clock())
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    settings = settings_of(request)
    session = request.state.session
    if session.user is not None:
        request.app.state.codec.revoke(session, settings.clock())
    request.state.session = session.anonymous(settings.clock())
    return RedirectResponse("/login?why=signed_out", status_code=303)
