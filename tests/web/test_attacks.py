"""What a hostile request or a hostile value cannot do to the web app: fix a session, skip
the CSRF check, change the store with a GET, send the browser off the site, inject a header
through a file name, read the server's paths in an error, slip past the rate limit behind a
proxy, or run script through any value shown on any page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from recon.store import users
from recon.web.pages.exception import _disposition
from recon.web.session import COOKIE_NAME

from .conftest import PASSWORD, Clock, csrf_of, first_exception, sign_in
from .test_security import all_routes

SignedIn = Callable[[str], TestClient]
MakeClient = Callable[..., TestClient]


def session_of(client: TestClient) -> dict:
    """The signed session a client holds (its payload, as the server signed it)."""
    return client.app.state.codec._serializer.loads(client.cookies[COOKIE_NAME])


def store_state(store: Path) -> tuple:
    """Everything a write would change: the events and each exception's state."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        events = con.execute("SELECT count(*) FROM events").fetchone()
        rows = con.execute(
            "SELECT exception_id, status, assignee, version FROM exceptions ORDER BY 1"
        ).fetchall()
        others = [
            con.execute(f"SELECT count(*) FROM {table}").fetchone()
            for table in ("attachments", "proposals", "alerts", "users")
        ]
        return events, rows, others
    finally:
        con.close()


def routes_with(client: TestClient, method: str) -> list[str]:
    return [
        route.path
        for route in all_routes(client.app.routes)
        if method in (getattr(route, "methods", None) or ())
    ]


def concrete(path: str, exception: str) -> str:
    return (
        path.replace("{exception_id}", exception)
        .replace("{proposal_id}", "P-000001")
        .replace("{attachment_id}", "1")
    )


# --- sessions ---------------------------------------------------------------------------


def test_signing_in_issues_a_new_session_id_and_csrf_token(client: TestClient) -> None:
    token = csrf_of(client)
    before = session_of(client)
    client.post("/login", data={"name": "ana", "password": PASSWORD["ana"], "csrf_token": token})
    after = session_of(client)
    assert after["user"] == "ana"
    assert after["sid"] != before["sid"]
    assert after["csrf"] != before["csrf"]


def test_a_token_from_before_sign_in_is_refused_after_it(client: TestClient) -> None:
    """A token an attacker planted in the anonymous session is worthless once signed in."""
    planted = csrf_of(client)
    sign_in(client, "ana")
    exception = first_exception(client)
    response = client.post(
        f"/exceptions/{exception}/comment", data={"text": "x", "csrf_token": planted}
    )
    assert response.status_code == 403


def test_a_new_password_ends_the_sessions_signed_in_before_it(
    signed_in: SignedIn, store: Path, clock: Clock
) -> None:
    client = signed_in("ana")
    users.set_password(
        store, "ana", "a-new-pass-phrase-2", actor="ana", now=clock.now + timedelta(seconds=1)
    )
    clock.advance(seconds=2)
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?why=changed")
    assert "Your password was changed" in client.get(response.headers["location"]).text


def test_signing_out_needs_the_csrf_token(signed_in: SignedIn) -> None:
    """A foreign page cannot sign someone out (a POST without the token is refused)."""
    client = signed_in("ana")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/queue", follow_redirects=False).status_code == 200


# --- CSRF and methods -------------------------------------------------------------------


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(signed_in: SignedIn) -> None:
    """Enumerated from the app's routing, sign-in and sign-out included."""
    client = signed_in("lead")
    exception = first_exception(client)
    posts = routes_with(client, "POST")
    assert {"/login", "/logout", "/queue/bulk"} <= set(posts)
    for path in posts:
        for token in (None, "not-the-token"):
            data = {"note": "n", "text": "t", "action": "assign", "ids": exception}
            if token:
                data["csrf_token"] = token
            response = client.post(concrete(path, exception), data=data, follow_redirects=False)
            assert response.status_code == 403, (path, token, response.status_code)
            assert "missing or wrong CSRF token" in response.text, path


def test_a_get_never_changes_the_store(signed_in: SignedIn, store: Path) -> None:
    """Every GET route, and every POST route asked with GET (405), leaves the store as it was."""
    client = signed_in("lead")
    exception = first_exception(client)
    before = store_state(store)
    for path in routes_with(client, "GET"):
        url = concrete(path, exception)
        response = client.get(url + "?done=resolved&action=resolve&to=lead", follow_redirects=False)
        assert response.status_code in (200, 303, 404), (path, response.status_code)
    for path in set(routes_with(client, "POST")) - set(routes_with(client, "GET")):
        response = client.get(concrete(path, exception), follow_redirects=False)
        assert response.status_code == 405, path
    assert store_state(store) == before


# --- where the browser is sent ----------------------------------------------------------

OFF_SITE = [
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "https://evil.example/",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_sends_the_browser_off_the_site(client: TestClient, target: str) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"name": "ana", "password": PASSWORD["ana"], "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/queue"
    assert client.get("/login", params={"next": target}, follow_redirects=False).headers[
        "location"
    ] == ("/queue")


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_error_pages_back_link_stays_on_the_site(signed_in: SignedIn, target: str) -> None:
    client = signed_in("ana")
    exception = first_exception(client)
    response = client.post(
        f"/exceptions/{exception}/resolve",
        data={"csrf_token": csrf_of(client, "/queue"), "code": "NO_SUCH_CODE", "back": target},
    )
    assert response.status_code == 400
    (link,) = re.findall(r'class="next-steps"><a href="([^"]*)"', response.text)
    assert link == "/queue"


@pytest.mark.parametrize("target", [*OFF_SITE, "/queue", "/dashboard"])
def test_a_decision_goes_back_to_an_approval_page_only(
    signed_in: SignedIn, store: Path, target: str
) -> None:
    from .test_pages import proposal_on, suggested_exception

    ana, bob = signed_in("ana"), signed_in("bob")
    exception, suggestion = suggested_exception(ana)
    ana.post(
        f"/exceptions/{exception}/propose",
        data={
            "csrf_token": csrf_of(ana, "/queue"),
            "kind": "CORRECTION",
            "suggestion_id": suggestion,
        },
    )
    proposal, version = proposal_on(bob, exception)
    response = bob.post(
        f"/proposals/{proposal}/reject",
        data={
            "csrf_token": csrf_of(bob, "/queue"),
            "version": version,
            "note": "no",
            "back": target,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/approvals?done=rejected"


# --- downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        'say "hi".txt',
        "semi;colon.txt",
        "back\\slash.txt",
        "报告 2024.csv",
        "ünïcödé\u202ename.txt",
        "x.txt\r\nSet-Cookie: stolen=1",
    ],
)
def test_a_file_name_cannot_break_out_of_content_disposition(name: str) -> None:
    header = _disposition(name)
    assert "\r" not in header
    assert "\n" not in header
    assert header.isascii()
    plain = re.fullmatch(
        r'attachment; filename="([^"\\]*)"; filename\*=UTF-8\'\'([^\s;"]*)', header
    )
    assert plain, header


def test_a_download_is_never_shown_inline(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    exception = first_exception(client)
    page = client.post(
        f"/exceptions/{exception}/attach",
        data={"csrf_token": csrf_of(client, "/queue")},
        files={"file": ("picture.svg", b"<svg onload=alert(1)/>", "image/svg+xml")},
    ).text
    (link,) = re.findall(r'href="(/attachments/\d+)"', page)
    response = client.get(link)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


def test_a_file_name_longer_than_the_limit_is_refused(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    exception = first_exception(client)
    response = client.post(
        f"/exceptions/{exception}/attach",
        data={"csrf_token": csrf_of(client, "/queue")},
        files={"file": ("n" * 300 + ".txt", b"x", "text/plain")},
    )
    assert response.status_code == 400
    assert "at most 255" in response.text


# --- errors -------------------------------------------------------------------------------


def test_an_internal_error_shows_no_path_sql_or_trace(
    signed_in: SignedIn, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recon.store import queries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"SELECT secret FROM users WHERE path = '{store}'")

    client = signed_in("ana")
    monkeypatch.setattr(queries, "queue_page", broken)
    response = client.get("/queue")
    assert response.status_code == 500
    assert "internal error: RuntimeError" in response.text
    for leak in ("SELECT", str(store.parent), "Traceback", "recon/", ".py"):
        assert leak not in response.text, leak
    assert response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_a_library_message_never_shows_the_stores_folder(
    signed_in: SignedIn, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recon.errors import StoreError
    from recon.store import queries

    def refused(*args: object, **kwargs: object) -> None:
        raise StoreError(f"cannot open the exception store {store}: damaged")

    client = signed_in("ana")
    monkeypatch.setattr(queries, "queue_page", refused)
    response = client.get("/queue")
    assert response.status_code == 400
    assert str(store.parent) not in response.text
    assert f"cannot open the exception store {store.name}: damaged" in response.text


@pytest.mark.parametrize(
    "query",
    ["min_amount=1e30", "max_amount=-1e30", "min_age=1e400", "max_age=99999999999999999999"],
)
def test_a_filter_number_too_large_for_the_store_is_a_400(signed_in: SignedIn, query: str) -> None:
    response = signed_in("ana").get(f"/queue?{query}")
    assert response.status_code == 400
    assert "must be between" in response.text


def test_the_audit_page_refuses_a_day_past_the_calendar(signed_in: SignedIn) -> None:
    response = signed_in("ana").get("/audit?day=9999-12-31")
    assert response.status_code == 400
    assert "day must be a date like 2024-03-15" in response.text


# --- rate limit behind a proxy ------------------------------------------------------------


def fail_login(client: TestClient, name: str, forwarded: str) -> int:
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"name": name, "password": "wrong", "csrf_token": token},
        headers={"X-Forwarded-For": forwarded},
    ).status_code


def test_behind_the_proxy_the_limit_keys_on_the_address_the_proxy_added(
    make_client: MakeClient,
) -> None:
    """A client cannot dodge the address limit by sending its own X-Forwarded-For: the
    proxy appends the real address, and that last entry is the key."""
    client = make_client(behind_proxy=True)
    for i in range(5):
        assert fail_login(client, f"user{i}", f"10.9.9.{i}, 192.0.2.7") == 401
    assert fail_login(client, "other", "10.9.9.99, 192.0.2.7") == 429
    assert fail_login(client, "other2", "192.0.2.8") == 401  # another client is not locked


def test_without_behind_proxy_a_forwarded_for_header_is_ignored(client: TestClient) -> None:
    for i in range(5):
        fail_login(client, f"user{i}", f"192.0.2.{i}")
    assert fail_login(client, "other", "192.0.2.200") == 429


# --- hostile values on every page ---------------------------------------------------------

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
UNESCAPED = ("<img src=x", "<script>alert", '"><img')


def plant_hostile_values(store: Path) -> str:
    """Hostile text in the fields an extract or a user fills, as a crafted file would."""
    con = duckdb.connect(str(store))
    try:
        (exception,) = con.execute(
            "SELECT exception_id FROM exceptions WHERE status = 'OPEN' ORDER BY 1 LIMIT 1"
        ).fetchone()
        con.execute(
            "UPDATE exceptions SET txn_ref = $h, customer_id = $h, account_id = $h, channel = $h,"
            " subtype = $h, proposed_action = $h, related_txn_ref = $h WHERE exception_id = $id",
            {"h": HOSTILE, "id": exception},
        )
        con.execute(
            "UPDATE evidence_rows SET file = $h, row = json_object('txn_ref', $h, 'remark', $h)"
            " WHERE exception_id = $id",
            {"h": HOSTILE, "id": exception},
        )
    finally:
        con.close()
    return exception


def test_hostile_values_are_shown_as_text_on_every_page(signed_in: SignedIn, store: Path) -> None:
    exception = plant_hostile_values(store)
    ana = signed_in("ana")
    token = csrf_of(ana, "/queue")
    ana.post(f"/exceptions/{exception}/comment", data={"csrf_token": token, "text": HOSTILE})
    ana.post(f"/exceptions/{exception}/assign", data={"csrf_token": token, "note": HOSTILE})
    ana.post(
        f"/exceptions/{exception}/attach",
        data={"csrf_token": token},
        files={"file": (HOSTILE.replace("/", "_") + ".txt", b"x", "text/plain")},
    )
    pages = [
        "/queue",
        f"/queue?text={HOSTILE}&customer={HOSTILE}&channel={HOSTILE}&sort={HOSTILE}",
        f"/exceptions/{exception}",
        "/approvals",
        "/dashboard",
        "/audit",
        f"/audit?actor={HOSTILE}",
        f"/login?next={HOSTILE}",
    ]
    for name in ("ana", "vic", "lead"):
        client = ana if name == "ana" else signed_in(name)
        for page in pages:
            html = client.get(page).text
            for bad in UNESCAPED:
                assert bad not in html, (name, page, bad)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in ana.get(f"/exceptions/{exception}").text


def test_a_viewer_sees_hostile_customer_and_account_ids_masked(
    signed_in: SignedIn, store: Path
) -> None:
    exception = plant_hostile_values(store)
    page = signed_in("vic").get(f"/exceptions/{exception}").text
    (customer,) = re.findall(r"<dt>Customer</dt><dd class=\"mono\">([^<]*)</dd>", page)
    (account,) = re.findall(r"<dt>Account</dt><dd class=\"mono\">([^<]*)</dd>", page)
    assert "*" in customer
    assert "*" in account
    assert "onerror" not in customer + account
