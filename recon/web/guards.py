"""What every request is checked for: a valid CSRF token on a POST, a signed-in enabled user
on every page but the login page, and the role rule before a write."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Request

from recon.config import ApprovalPolicy
from recon.errors import PermissionDenied
from recon.store import permissions, proposals, users
from recon.web.library import read
from recon.web.session import Session
from recon.web.settings import WebSettings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfRefused(Exception):
    """A write without the session's CSRF token (403 "missing or wrong CSRF token")."""


class LoginRequired(Exception):
    """No signed-in, enabled user: the page sends the browser to the login page."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why  # a key of LOGIN_REASONS, never free text (it travels in the URL)


# why -> the sentence the login page shows
LOGIN_REASONS = {
    "required": "Sign in to continue.",
    "expired": "Your session expired. Sign in again.",
    "signed_out": "You are signed out.",
    "disabled": "Your account is disabled or no longer exists. Ask your team lead.",
    "changed": "Your password was changed since you signed in. Sign in again.",
}


def settings_of(request: Request) -> WebSettings:
    return request.app.state.settings


async def csrf_guard(request: Request) -> None:
    """Refuse any write whose form field `csrf_token` (or header `X-CSRF-Token`, for htmx)
    is not this session's token. Runs before every route (an app-wide dependency)."""
    if request.method not in WRITE_METHODS:
        return
    session: Session | None = getattr(request.state, "session", None)
    form = await request.form()
    back = local_path(form.get("back"))
    if back is not None:
        request.state.back = back  # where an error page links back to
    token: Any = request.headers.get(CSRF_HEADER)
    if token is None:
        token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or session is None:
        raise CsrfRefused
    if not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise CsrfRefused


def local_path(target: object) -> str | None:
    """`target` if it is a path on this site, else None: the one rule for every place a
    request names where to go next (`next` after sign-in, a form's `back`).

    A browser reads `//host`, `/\\host` and `https:...` as another site, and drops tabs and
    newlines inside a URL (`/<TAB>/host` becomes `//host`), so none of those pass."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return None
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    return target


def back_link(request: Request) -> str:
    """The page to go back to from an error: this page for a GET, else the page the form
    came from (its hidden `back` field), else the queue."""
    if request.method == "GET":
        return request.url.path
    return getattr(request.state, "back", None) or "/queue"


def current_user(request: Request) -> users.User:
    """The signed-in user, checked against the store on every request (a disabled user's
    session stops at once), or `LoginRequired`."""
    session: Session = request.state.session
    if session.user is None:
        raise LoginRequired("expired" if request.state.expired else "required")
    settings = settings_of(request)
    user = read(request, users.get_user, session.user)
    if user is None or user.disabled:
        request.state.session = Session.anonymous(settings.clock())
        raise LoginRequired("disabled")
    if user.changed_at is not None and session.issued_at < user.changed_at:
        # a new password ends every sign-in from before it (someone may have known the old)
        request.state.session = Session.anonymous(settings.clock())
        raise LoginRequired("changed")
    request.state.user = user
    return user


def require(user: users.User, action: str, *, assignee: str | None = None) -> None:
    """The store's one authorization rule (`recon.store.permissions.require`), asked before a
    write so a refused user gets a 403 page before anything is read for the write."""
    permissions.require(user, action, assignee=assignee)


def why_not_decide(
    user: users.User, proposal: proposals.Proposal, thresholds: ApprovalPolicy
) -> str | None:
    """For pages: why this user may not approve or reject this proposal (its proposer, its
    exception's resolver, above the admin threshold, a role that does not approve), in the
    words of the one maker-checker rule (`proposals.check_approval`), or None. The page
    shows the reason instead of buttons; the server checks again on POST."""
    try:
        proposals.check_approval(proposal, user, proposal.resolved_by, thresholds)
    except PermissionDenied as refused:
        return str(refused)
    return None


def may(user: users.User | None, action: str) -> bool:
    """For templates: whether to show a control at all (the server checks again on POST)."""
    if user is None:
        return False
    try:
        permissions.require(user, action)
    except PermissionDenied:
        return False
    return True
