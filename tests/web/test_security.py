"""The web app's security, server side: headers, cookies, CSRF, login rate limit, session
expiry, and a viewer refused on every write route (enumerated from the app itself)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recon.web.headers import CONTENT_SECURITY_POLICY
from recon.web.session import COOKIE_NAME

from .conftest import PASSWORD, Clock, csrf_of, first_exception

BOTH_BACKENDS = True  # conftest.py: these tests run over a PostgreSQL store too

SignedIn = Callable[[str], TestClient]
EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def test_the_content_security_policy_is_the_documented_one() -> None:
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        " frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )


@pytest.mark.parametrize(
    "path", ["/login", "/queue", "/static/app.css", "/static/htmx.min.js", "/no/such/page"]
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, (path, name)


def test_pages_are_not_cached_but_static_files_may_be(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    for page in ("/queue", "/dashboard", "/approvals", "/audit", "/login"):
        assert client.get(page).headers["cache-control"] == "no-store", page
    assert "no-store" not in client.get("/static/app.css").headers["cache-control"]


def test_no_page_has_inline_script_or_style(signed_in: SignedIn) -> None:
    client = signed_in("lead")
    exception = first_exception(client)
    for page in (
        "/login",
        "/queue",
        f"/exceptions/{exception}",
        "/dashboard",
        "/approvals",
        "/audit",
    ):
        html = client.get(page).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert not re.search(r"<style\b", html), page
        assert not re.search(r"\sstyle\s*=", html), page
        assert not re.search(r"\son[a-z]+\s*=", html), page


def test_the_session_cookie_is_httponly_and_samesite_lax(client: TestClient) -> None:
    cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on a loopback test server


def test_the_cookie_is_secure_behind_a_tls_proxy(make_client: Callable[..., TestClient]) -> None:
    client = make_client(behind_proxy=True)
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_a_forwarded_proto_is_not_believed_without_behind_proxy(client: TestClient) -> None:
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in response.headers["set-cookie"]
    assert "strict-transport-security" not in response.headers


def test_a_post_without_the_csrf_token_is_refused(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    exception = first_exception(client)
    response = client.post(f"/exceptions/{exception}/comment", data={"text": "hello"})
    assert response.status_code == 403
    assert "missing or wrong CSRF token" in response.text


def test_a_post_with_another_sessions_token_is_refused(signed_in: SignedIn) -> None:
    ana, ben = signed_in("ana"), signed_in("ben")
    exception = first_exception(ana)
    foreign = csrf_of(ben, "/queue")
    response = ana.post(
        f"/exceptions/{exception}/comment", data={"text": "hello", "csrf_token": foreign}
    )
    assert response.status_code == 403
    assert "missing or wrong CSRF token" in response.text


def test_the_login_form_needs_its_csrf_token_too(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "ana", "password": PASSWORD["ana"]})
    assert response.status_code == 403


def test_five_failed_logins_for_a_name_then_429_with_retry_after(client: TestClient) -> None:
    token = csrf_of(client)
    for _ in range(5):
        failed = client.post("/login", data={"name": "ana", "password": "x", "csrf_token": token})
        assert failed.status_code == 401
    refused = client.post(
        "/login", data={"name": "ana", "password": PASSWORD["ana"], "csrf_token": token}
    )
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 300


def test_the_limit_counts_failures_from_one_address_across_names(client: TestClient) -> None:
    token = csrf_of(client)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        client.post("/login", data={"name": name, "password": "x", "csrf_token": token})
    refused = client.post(
        "/login", data={"name": "ben", "password": PASSWORD["ben"], "csrf_token": token}
    )
    assert refused.status_code == 429


def test_the_limit_lifts_when_the_window_has_passed(client: TestClient, clock: Clock) -> None:
    token = csrf_of(client)
    for _ in range(5):
        client.post("/login", data={"name": "ana", "password": "x", "csrf_token": token})
    clock.advance(minutes=5, seconds=1)
    allowed = client.post(
        "/login", data={"name": "ana", "password": PASSWORD["ana"], "csrf_token": token}
    )
    assert allowed.status_code == 200
    assert allowed.url.path == "/queue"


def test_an_unknown_name_and_a_wrong_password_look_the_same(client: TestClient) -> None:
    token = csrf_of(client)
    wrong = client.post("/login", data={"name": "ana", "password": "x", "csrf_token": token})
    unknown = client.post("/login", data={"name": "zed", "password": "x", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.text
    assert "Wrong user name or password." in unknown.text


def test_a_session_ends_after_its_absolute_lifetime(signed_in: SignedIn, clock: Clock) -> None:
    client = signed_in("ana")
    for _ in range(16):  # active every 29 minutes: never idle
        clock.advance(minutes=29)
        assert client.get("/dashboard", follow_redirects=False).status_code == 200
    clock.advance(minutes=29)  # 8 h 13 min after signing in
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?why=expired")


def test_a_session_ends_after_idle_minutes_without_a_request(
    signed_in: SignedIn, clock: Clock
) -> None:
    client = signed_in("ana")
    clock.advance(minutes=29)
    assert client.get("/queue", follow_redirects=False).status_code == 200
    clock.advance(minutes=31)
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert "Your session expired" in client.get(response.headers["location"]).text


def test_a_signed_out_cookie_cannot_be_used_again(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    stolen = client.cookies[COOKIE_NAME]
    client.post("/logout", data={"csrf_token": csrf_of(client, "/queue")})
    client.cookies.set(COOKIE_NAME, stolen)
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set(COOKIE_NAME, "eyJ1c2VyIjoibGVhZCJ9.forged")
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_disabled_users_session_stops_at_their_next_request(
    signed_in: SignedIn, store: Path
) -> None:
    from recon.store.users import disable_user

    client = signed_in("ana")
    disable_user(store, "ana", actor="lead")
    response = client.get("/queue", follow_redirects=False)
    assert response.headers["location"].startswith("/login?why=disabled")


def test_after_login_only_a_path_on_this_site_is_followed(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={
            "name": "ana",
            "password": PASSWORD["ana"],
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/queue"


def all_routes(routes: list) -> list:
    """The app's routes, with those of included routers (FastAPI keeps them as
    `_IncludedRouter` wrappers around the `original_router`)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += all_routes(inner.routes) if inner is not None else [route]
    return found


def write_routes(client: TestClient) -> list[str]:
    """Every POST route of the app but signing in and out, from the app's own routing."""
    paths = [
        route.path
        for route in all_routes(client.app.routes)
        if "POST" in (getattr(route, "methods", None) or ())
        and route.path not in ("/login", "/logout")
    ]
    assert len(paths) >= 11  # the enumeration itself works
    return paths


def test_a_viewer_gets_403_on_every_write_route(signed_in: SignedIn) -> None:
    viewer = signed_in("vic")
    token = csrf_of(viewer, "/queue")
    exception = first_exception(viewer)
    for path in write_routes(viewer):
        url = path.replace("{exception_id}", exception).replace("{proposal_id}", "P-000001")
        response = viewer.post(
            url,
            data={
                "csrf_token": token,
                "note": "n",
                "text": "t",
                "code": "FALSE_POSITIVE",
                "action": "resolve",
                "ids": exception,
                "kind": "CORRECTION",
                "to": "vic",
                "posting_ref": "R1",
                "version": "1",
            },
            files={"file": ("a.txt", b"x", "text/plain")} if path.endswith("/attach") else None,
        )
        assert response.status_code == 403, (path, response.status_code)
        assert "may not" in response.text, path
    assert "COMMENTED" not in viewer.get(f"/exceptions/{exception}").text
