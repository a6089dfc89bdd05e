"""The FastAPI application of `recon serve`, built from its settings."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from recon.web import failures
from recon.web.cookies import SessionCookies
from recon.web.guards import csrf_guard
from recon.web.headers import BodyLimit, SecurityHeaders
from recon.web.net import https_of
from recon.web.pages import approvals, audit, auth, dashboard, exception, queue
from recon.web.ratelimit import LoginLimiter
from recon.web.render import Pages, make_environment
from recon.web.session import SessionCodec
from recon.web.settings import WebSettings

# room for the form fields around the largest attachment
_FORM_OVERHEAD_BYTES = 64 * 1024


def create_app(settings: WebSettings) -> FastAPI:
    """The app: pages, static files, session cookies, CSRF on every write, security headers."""
    app = FastAPI(
        title="recon",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.settings = settings
    app.state.codec = SessionCodec(
        settings.secret_key,
        session_minutes=settings.session_minutes,
        idle_minutes=settings.idle_minutes,
    )
    app.state.limiter = LoginLimiter(
        max_failures=settings.login_max_failures,
        window_seconds=settings.login_window_seconds,
        clock=settings.clock,
    )
    app.state.pages = Pages(make_environment(settings.config.timezone))
    app.mount("/static", StaticFiles(packages=[("recon.web", "static")]), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/queue", status_code=303)

    for module in (auth, queue, exception, approvals, dashboard, audit):
        app.include_router(module.router)
    failures.install(app)
    is_https = https_of(settings.behind_proxy)
    # added innermost first: the headers wrap everything, the session sits next to the routes
    app.add_middleware(
        SessionCookies, codec=app.state.codec, clock=settings.clock, is_https=is_https
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + _FORM_OVERHEAD_BYTES)
    app.add_middleware(SecurityHeaders, is_https=is_https)
    return app
