"""Loads the session from its cookie before a request and re-issues the cookie after it.

Pure ASGI (no BaseHTTPMiddleware): the session goes into `request.state.session`, a handler
may replace it (sign-in, sign-out), and whatever is there when the response starts is signed
and sent back, with `seen` moved to now (the idle clock). An expired or revoked session is
replaced by an anonymous one and `request.state.expired` says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from http.cookies import SimpleCookie

from recon.web.headers import ASGIApp, Message, Receive, Scope, Send
from recon.web.session import COOKIE_NAME, Session, SessionCodec


class SessionCookies:
    def __init__(
        self,
        app: ASGIApp,
        *,
        codec: SessionCodec,
        clock: Callable[[], datetime],
        is_https: Callable[[Scope], bool],
    ) -> None:
        self.app = app
        self.codec = codec
        self.clock = clock
        self.is_https = is_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/static/"):
            await self.app(scope, receive, send)
            return
        now = self.clock()
        session = self.codec.loads(_cookie(scope))
        expired = None
        if session is not None:
            expired = self.codec.expired(session, now)
        if session is None or expired:
            session = Session.anonymous(now)
        state = scope.setdefault("state", {})
        state["session"] = session
        state["expired"] = expired
        secure = self.is_https(scope)

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current: Session = state["session"]
                if current.user is not None:
                    current = current.touched(self.clock())
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", self._set_cookie(current, secure).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_cookie)

    def _set_cookie(self, session: Session, secure: bool) -> str:
        parts = [
            f"{COOKIE_NAME}={self.codec.dumps(session)}",
            "Path=/",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if secure:
            parts.append("Secure")
        return "; ".join(parts)


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: as if there were none
                return None
            if COOKIE_NAME in jar:
                return jar[COOKIE_NAME].value
    return None
