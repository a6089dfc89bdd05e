"""The login session: a signed cookie that says who is signed in, since when, last seen when.

The cookie holds `{sid, user, csrf, iat, seen}` signed with the server's key (itsdangerous),
so it cannot be forged or edited; it holds no password and no store data. It expires twice:
`session_minutes` after sign-in (absolute) and `idle_minutes` after the last request (idle;
each request re-issues the cookie with a new `seen`). Signing out revokes its `sid` in this
process, so a copy of the cookie taken earlier is refused too. An anonymous visitor gets a
session without a user, whose CSRF token protects the login form.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "recon_session"
_SALT = "recon-web-session"


@dataclass(frozen=True)
class Session:
    """One browser's session; `user` is None until someone signs in."""

    sid: str
    csrf: str
    user: str | None
    issued_at: datetime
    seen_at: datetime

    @classmethod
    def anonymous(cls, now: datetime) -> Session:
        return cls(secrets.token_urlsafe(18), secrets.token_urlsafe(32), None, now, now)

    def signed_in(self, user: str, now: datetime) -> Session:
        """A new session for `user`: new id and CSRF token, so nothing from before carries
        over (no session fixation)."""
        return Session(secrets.token_urlsafe(18), secrets.token_urlsafe(32), user, now, now)

    def touched(self, now: datetime) -> Session:
        return replace(self, seen_at=now)


class SessionCodec:
    """Turns sessions into signed cookie values and back, and decides when one has expired."""

    def __init__(self, secret_key: bytes, *, session_minutes: int, idle_minutes: int) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=_SALT)
        self.absolute = timedelta(minutes=session_minutes)
        self.idle = timedelta(minutes=idle_minutes)
        self._revoked: dict[str, datetime] = {}  # sid -> when its absolute expiry passes
        self._lock = threading.Lock()

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps(
            {
                "sid": session.sid,
                "csrf": session.csrf,
                "user": session.user,
                "iat": session.issued_at.timestamp(),
                "seen": session.seen_at.timestamp(),
            }
        )

    def loads(self, value: str | None) -> Session | None:
        """The session in a cookie value, or None if absent, forged or malformed."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value)
            return Session(
                sid=str(data["sid"]),
                csrf=str(data["csrf"]),
                user=None if data["user"] is None else str(data["user"]),
                issued_at=datetime.fromtimestamp(float(data["iat"]), tz=UTC),
                seen_at=datetime.fromtimestamp(float(data["seen"]), tz=UTC),
            )
        except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
            return None

    def expired(self, session: Session, now: datetime) -> str | None:
        """Why a signed-in session no longer holds (a sentence for the login page), or None."""
        if session.user is None:
            return None
        if self.is_revoked(session.sid):
            return "You signed out of that session. Sign in again."
        if now - session.issued_at > self.absolute:
            return "Your session expired. Sign in again."
        if now - session.seen_at > self.idle:
            return "Your session expired after a time without activity. Sign in again."
        return None

    def revoke(self, session: Session, now: datetime) -> None:
        with self._lock:
            self._revoked = {sid: t for sid, t in self._revoked.items() if t > now}
            self._revoked[session.sid] = session.issued_at + self.absolute

    def is_revoked(self, sid: str) -> bool:
        with self._lock:
            return sid in self._revoked
