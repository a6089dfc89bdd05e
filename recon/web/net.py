"""What the app believes about the connection: TLS or not, and the client's address.

Only with `--behind-proxy` are the proxy's `X-Forwarded-Proto` and `X-Forwarded-For` headers
believed (the proxy must be the only way in, docs/web.md); otherwise anyone could send them.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from recon.web.headers import Scope


def https_of(behind_proxy: bool) -> Callable[[Scope], bool]:
    """A predicate: did this request come over TLS?"""

    def is_https(scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        if not behind_proxy:
            return False
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-proto":
                return value.decode("latin-1").split(",")[0].strip().lower() == "https"
        return False

    return is_https


def client_address(request: Request) -> str:
    """The client's IP: the last hop of X-Forwarded-For behind our proxy, else the socket's."""
    if request.app.state.settings.behind_proxy:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"
