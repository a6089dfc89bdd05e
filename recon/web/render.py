"""Jinja2 pages: autoescaped, every shown value with control and bidi characters visible,
money and times in one format, account and customer ids masked as `[privacy]` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from recon.safety import show_bidi, show_controls


def _visible(value: Any) -> Any:
    """Every `{{ value }}`: None shows as nothing; text shows control and bidi characters
    as escapes (`\\x1b`, `<U+202E>`) before Jinja escapes it for HTML."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return show_controls(show_bidi(value))
    return value


def money(value: Any) -> str:
    """`43475.5` -> `43,475.50`; exact decimal, never float."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)).quantize(Decimal('0.01')):,.2f}"
    except InvalidOperation:
        return str(value)


def make_environment(timezone: str) -> Environment:
    env = Environment(
        loader=PackageLoader("recon.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_visible,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = ZoneInfo(timezone)

    def when(value: datetime | None) -> str:
        if value is None:
            return ""
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return f"{value:%Y-%m-%d %H:%M:%S}"

    def short(value: datetime | None) -> str:
        """`03-15 11:22`: a time in a dense table (the year and seconds are in `when`)."""
        if value is None:
            return ""
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return f"{value:%m-%d %H:%M}"

    env.filters["money"] = money
    env.filters["short"] = short
    env.filters["when"] = when
    env.globals["timezone"] = timezone
    return env


class Pages:
    """Renders a template into a response with the things every page needs (the user, the
    CSRF token, the nav)."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        session = getattr(request.state, "session", None)
        user = getattr(request.state, "user", None)
        html = self.render(
            template,
            request=request,
            user=user,
            csrf_token=session.csrf if session else "",
            path=request.url.path,
            url_with=_query_with(request),
            **dict(context or {}),
        )
        return HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))


def _query_with(request: Request) -> Any:
    """`query(sort="amount", page=None)`: this page's query string with some keys replaced
    (None drops a key), for sort headers and paging links."""

    def build(**changes: Any) -> str:
        items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
        for key, value in changes.items():
            if value is None:
                continue
            for one in value if isinstance(value, list | tuple) else [value]:
                items.append((key, str(one)))
        return "?" + urlencode(items) if items else "?"

    return build
