"""The web app in a real browser: Debian's Chromium driven by Playwright against a real
`recon serve` (uvicorn) over a store filled by a real `recon run` of sample_data/.

One server for this module over a DuckDB file, one browser for the session; each test signs
in its own users in fresh browser contexts and works its own exceptions, so the tests do not
depend on each other's order. The analyst's essential workflow (sign in, the queue, take an
item with htmx, comment and attach, resolve; tests marked ON_BOTH_BACKENDS) runs again
against a second server over a PostgreSQL store, and each of those tests reads its change
back from the store itself. A PostgreSQL page costs about three times a file's (every
request mirrors the store), so only these few run on both.

The last test takes the README's screenshots: into the test's temporary folder, or into
docs/img/ with RECON_UPDATE_SCREENSHOTS=1 (`make screenshots`), so a test run never changes
the repository.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import playwright.sync_api as sync_api  # a dev dependency: missing, these tests fail, never skip
import pytest

from recon.web.session import COOKIE_NAME, Session, SessionCodec
from tests.pg_server import PgServer
from tests.store.backends import BACKENDS, read_store

from .conftest import PASSWORD, ROOT, SAMPLE, SECRET, copy_store, pg_copy_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
README_IMAGES = ROOT / "docs" / "img"
UPDATE_SCREENSHOTS = "RECON_UPDATE_SCREENSHOTS"
Page = sync_api.Page


@pytest.fixture(scope="session")
def browser() -> Iterator[sync_api.Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass(frozen=True)
class Served:
    """A live `recon serve`: its base URL and the store it serves (a file, or a URL)."""

    base: str
    store: Path | str


@pytest.fixture(scope="module")
def served_file(team_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`recon serve` over a copy of the team's store in a DuckDB file."""
    store = copy_store(team_store, tmp_path_factory.mktemp("served"))
    with serving(store, store.parent) as base:
        yield Served(base, store)


@pytest.fixture(scope="module")
def served_pg(
    team_store: Path, tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer
) -> Iterator[Served]:
    """`recon serve` over a copy of the team's store in PostgreSQL (started on first use)."""
    store = pg_copy_of(team_store, pg_server)
    with serving(store, tmp_path_factory.mktemp("served-pg")) as base:
        yield Served(base, store)


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Served:
    """This test's server: over the DuckDB file, or over PostgreSQL for a test marked
    `ON_BOTH_BACKENDS` (its `[postgresql]` case)."""
    if getattr(request, "param", "duckdb") == "postgresql":
        return request.getfixturevalue("served_pg")
    return request.getfixturevalue("served_file")


# The analyst's essential workflow runs on both stores: a test marked so runs once over the
# DuckDB file and once over PostgreSQL; the rest of this module runs over the file only.
ON_BOTH_BACKENDS = pytest.mark.parametrize("served", BACKENDS, indirect=True)


@pytest.fixture
def server(served: Served) -> str:
    return served.base


@contextmanager
def serving(store: Path | str, home: Path) -> Iterator[str]:
    """`recon serve` on a free loopback port over `store`; its base URL. Its log is
    server.log in `home`."""
    port = free_port()
    env = {**os.environ, "RECON_SECRET_KEY": SECRET, "HOME": str(home)}
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "recon.cli",
            "serve",
            "--store",
            str(store),
            "--config",
            str(SAMPLE / "recon.toml"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def stored(served: Served, sql: str, *params: object) -> list[tuple]:
    """Rows the served store itself holds (read beside the server, not through its pages)."""
    with read_store(served.store) as con:
        return con.execute(sql, list(params)).fetchall()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"recon serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/login", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"recon serve did not answer on {base} within {timeout}s")


@pytest.fixture
def open_as(browser: sync_api.Browser, server: str) -> Iterator[Callable[[str | None], Page]]:
    """A fresh browser context (its own cookies) signed in as a user (None: not signed in)."""
    contexts = []

    def open_as(name: str | None) -> Page:
        context = browser.new_context(base_url=server, viewport={"width": 1440, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if name is not None:
            sign_in(page, name)
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/queue")


def exception_ids(page: Page, query: str) -> list[str]:
    """The ids the queue shows for `query`, in its order."""
    page.goto("/queue" + query)
    return page.locator("table.queue tbody tr[id^=row-]").evaluate_all(
        "rows => rows.map(r => r.id.slice(4))"
    )


def test_sign_in_and_sign_out(open_as: Callable[[str | None], Page]) -> None:
    page = open_as(None)
    page.goto("/queue")
    assert "/login" in page.url
    sign_in(page, "ana")
    assert page.locator("header .user").inner_text() == "ana"
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto("/queue")
    assert "/login" in page.url


def test_a_viewer_sees_no_write_control_and_is_refused_a_write(
    open_as: Callable[[str | None], Page],
) -> None:
    page = open_as("vic")
    exception = exception_ids(page, "?sort=exception_id")[0]
    page.goto(f"/exceptions/{exception}")
    assert page.get_by_text("You can look, not change (viewer).").is_visible()
    assert page.locator("form[action$='/resolve']").count() == 0
    page.goto("/queue")
    assert page.locator("table.queue input[type=checkbox]").count() == 0  # no bulk action
    token = page.locator("header input[name=csrf_token]").input_value()
    response = page.request.post(
        f"/exceptions/{exception}/resolve",
        form={"csrf_token": token, "code": "FALSE_POSITIVE", "note": "x"},
    )
    assert response.status == 403
    assert "vic (viewer) may not resolve" in response.text()
    for path in write_routes():  # every other write, sent from the viewer's browser
        url = path.replace("{exception_id}", exception).replace("{proposal_id}", "P-000001")
        form = {**VIEWER_FORM, "csrf_token": token, "ids": exception}
        if path.endswith("/attach"):
            sent = page.request.post(url, multipart={**form, "file": file_part()})
        else:
            sent = page.request.post(url, form=form)
        assert sent.status == 403, (path, sent.status)
        assert "vic (viewer) may not" in sent.text(), path


# a form that would pass any write route's own checks, so only the role can refuse it
VIEWER_FORM = {"note": "n", "text": "t", "action": "assign", "kind": "CORRECTION",
               "posting_ref": "R1", "to": "vic"}  # fmt: skip


def write_routes() -> list[str]:
    """Every POST route of the app but signing in and out, from the app's own routing."""
    from recon.web.app import create_app
    from recon.web.settings import WebSettings

    from .test_security import all_routes

    app = create_app(WebSettings(store_path=Path("unused.duckdb"), secret_key=SECRET.encode()))
    paths = [
        route.path
        for route in all_routes(app.routes)
        if "POST" in (getattr(route, "methods", None) or ())
        and route.path not in ("/login", "/logout")
    ]
    assert len(paths) >= 11
    return paths


def file_part() -> dict:
    return {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"}


def test_filter_sort_and_page_through_the_queue(open_as: Callable[[str | None], Page]) -> None:
    page = open_as("ana")
    page.get_by_label("HIGH").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"severity=HIGH"))
    severities = page.locator("table.queue tbody .sev").all_inner_texts()
    assert severities
    assert set(severities) == {"HIGH"}
    page.get_by_role("link", name="Amount").click()
    page.wait_for_url(re.compile(r"sort=amount"))
    ascending = amounts(page)
    assert ascending == sorted(ascending)
    page.get_by_role("link", name="Amount ▲").click()
    page.wait_for_url(re.compile(r"desc=1"))
    assert amounts(page) == sorted(ascending, reverse=True)
    page.goto("/queue")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.get_by_text(re.compile(r"page 2 of \d+")).is_visible()


def amounts(page: Page) -> list[float]:
    cells = page.locator("table.queue tbody td.num").all_inner_texts()
    return [float(c.split()[0].replace(",", "")) for c in cells if c.endswith("CNY")]


@ON_BOTH_BACKENDS
def test_bulk_assign_then_bulk_resolve(
    open_as: Callable[[str | None], Page], served: Served
) -> None:
    page = open_as("ana")
    ids = exception_ids(page, "?type=INVOICE&sort=exception_id")[:3]
    for exception in ids:
        page.locator(f"input[name=ids][value='{exception}']").check()
    page.get_by_label("Action").select_option("assign")
    page.get_by_label("Note").fill("taking the invoice breaks")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_text("3 of 3 done").is_visible()
    assert exception_ids(page, "?view=mine&sort=exception_id")[:3] == ids
    for exception in ids:
        page.locator(f"input[name=ids][value='{exception}']").check()
    page.get_by_label("Action").select_option("resolve")
    page.get_by_label("Code").select_option("INVOICE_FIXED")
    page.get_by_label("Note").fill("invoices issued by billing")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_text("3 of 3 done").is_visible()
    assert not set(ids) & set(exception_ids(page, "?view=mine"))
    for exception in ids:  # in the store itself, with their audit events
        assert stored(
            served,
            "SELECT status, assignee, resolution_code, resolution_note FROM exceptions"
            " WHERE exception_id = ?",
            exception,
        ) == [("RESOLVED", "ana", "INVOICE_FIXED", "invoices issued by billing")]
        assert stored(
            served,
            "SELECT action, actor, note FROM events WHERE exception_id = ? AND actor = 'ana'"
            " ORDER BY event_no",
            exception,
        ) == [
            ("ASSIGNED", "ana", "assigned to ana: taking the invoice breaks"),
            ("RESOLVED", "ana", "INVOICE_FIXED: invoices issued by billing"),
        ]


@ON_BOTH_BACKENDS
def test_an_item_someone_holds_cannot_be_taken(
    open_as: Callable[[str | None], Page], served: Served
) -> None:
    ana, ben = open_as("ana"), open_as("ben")
    query = "?type=DUPLICATE_DEBIT&sort=exception_id"
    exception = exception_ids(ana, query)[0]
    exception_ids(ben, query)  # ben's queue shows it unheld too
    take = ana.locator(f"#row-{exception}").get_by_role("button", name="Take")
    seen = int(take.get_attribute("value") or "")  # the version the row was shown at
    take.click()
    sync_api.expect(ana.locator(f"#row-{exception} td").nth(12)).to_have_text("ana")
    ben.locator(f"#row-{exception}").get_by_role("button", name="Take").click()
    sync_api.expect(ben.locator("#messages")).to_contain_text(f"{exception} was changed by ana")
    exception_ids(ben, query)
    ben.locator(f"input[name=ids][value='{exception}']").check()
    ben.get_by_label("Action").select_option("assign")
    ben.get_by_role("button", name="Apply").click()
    assert ben.get_by_text("0 of 1 done").is_visible()
    assert ben.get_by_text(re.compile(rf"{exception} is held by ana since")).is_visible()
    ben.goto(f"/exceptions/{exception}")
    assert ben.get_by_text("Held by ana: only a team lead (admin) can reassign it.").is_visible()
    assert ben.locator("h1 .status").inner_text() == "ASSIGNED"
    # the store holds ana's one claim; ben's two refused attempts wrote nothing
    assert stored(
        served, "SELECT status, assignee, version FROM exceptions WHERE exception_id = ?", exception
    ) == [("ASSIGNED", "ana", seen + 1)]
    assert stored(
        served,
        "SELECT action, actor FROM events WHERE exception_id = ? AND actor IN ('ana', 'ben')",
        exception,
    ) == [("ASSIGNED", "ana")]


@ON_BOTH_BACKENDS
def test_comment_and_attachment(
    open_as: Callable[[str | None], Page], served: Served, tmp_path: Path
) -> None:
    page = open_as("ana")
    exception = exception_ids(page, "?type=AMOUNT_MISMATCH&sort=exception_id")[0]
    page.goto(f"/exceptions/{exception}")
    page.get_by_label("Comment").fill("called the gateway: <b>fee</b> difference")
    page.get_by_role("button", name="Add comment").click()
    assert page.get_by_text("Comment added.").is_visible()
    assert page.locator(".comment .text").last.inner_text() == (
        "called the gateway: <b>fee</b> difference"
    )
    evidence = tmp_path / "gateway-statement.csv"
    evidence.write_text("gateway_ref,amount\nGW1,4214.51\n")
    page.get_by_label("File").set_input_files(evidence)
    page.get_by_role("button", name="Attach").click()
    assert page.get_by_text("File attached.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="gateway-statement.csv").click()
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()
    assert stored(
        served,
        "SELECT actor, note FROM events WHERE exception_id = ? AND action = 'COMMENTED'",
        exception,
    ) == [("ana", "called the gateway: <b>fee</b> difference")]
    assert stored(
        served,
        "SELECT name, added_by, content FROM attachments WHERE exception_id = ?",
        exception,
    ) == [("gateway-statement.csv", "ana", evidence.read_bytes())]


def test_propose_approve_by_another_user_then_post(
    open_as: Callable[[str | None], Page],
) -> None:
    ana, bob = open_as("ana"), open_as("bob")
    exception = with_suggestion(ana, "?subtype=GATEWAY_DOUBLE_CHARGE&sort=exception_id")
    ana.locator("form[action$='/propose']").first.get_by_role("button").click()
    assert ana.get_by_text("Proposed for approval.").is_visible()
    bob.goto("/approvals")
    row = bob.locator("table.proposals tr", has_text=exception)
    row.get_by_label("approval note").fill("legs checked against the gateway file")
    row.get_by_role("button", name="Approve").click()
    assert bob.get_by_text("Approved.").is_visible()
    ana.goto(f"/exceptions/{exception}")
    ana.get_by_label("posting reference").fill("GL-2024-0316-001")
    ana.get_by_role("button", name="Record posting").click()
    assert ana.get_by_text("Posting recorded.").is_visible()
    proposal = ana.locator("table.proposals tbody tr").first
    assert "POSTED" in proposal.inner_text()
    assert "GL-2024-0316-001" in proposal.inner_text()


def test_the_proposer_cannot_approve_their_own_proposal(
    open_as: Callable[[str | None], Page],
) -> None:
    """The page says why instead of offering Approve; the form sent anyway is refused."""
    bob = open_as("bob")
    exception = with_suggestion(bob, "?subtype=SUSPECTED_RETRY&sort=exception_id")
    bob.locator("form[action$='/propose']").first.get_by_role("button").click()
    row = bob.locator("table.proposals tbody tr").first
    proposal = row.locator("td").first.inner_text()
    sync_api.expect(row).to_contain_text(
        f"Not yours to decide: bob proposed {proposal}; the approver must be someone else"
    )
    assert row.get_by_role("button", name="Approve").count() == 0
    token = bob.locator("header input[name=csrf_token]").input_value()
    sent = bob.request.post(
        f"/proposals/{proposal}/approve",
        form={"csrf_token": token, "version": "1", "note": "my own"},
    )
    assert sent.status == 403
    assert "the approver must be someone else" in sent.text()
    bob.goto(f"/exceptions/{exception}")
    assert "PROPOSED" in bob.locator("table.proposals tbody tr").first.inner_text()


def with_suggestion(page: Page, query: str) -> str:
    """Open the first exception of `query` that has a suggested correction; its id."""
    for exception in exception_ids(page, query):
        page.goto(f"/exceptions/{exception}")
        if page.locator("form[action$='/propose']").count():
            return exception
    raise AssertionError(f"no exception of {query} has a suggestion")


def test_a_stale_form_is_refused_with_who_changed_it(
    open_as: Callable[[str | None], Page],
) -> None:
    ana, ben = open_as("ana"), open_as("ben")
    exception = exception_ids(ana, "?type=HALF_COMPLETED&sort=exception_id")[0]
    ana.goto(f"/exceptions/{exception}")
    ben.goto(f"/exceptions/{exception}")
    ben.get_by_label("Comment").fill("the late credit arrived at 11:40")
    ben.get_by_role("button", name="Add comment").click()
    ana.get_by_label("Resolution").select_option("FALSE_POSITIVE")
    ana.get_by_label("What was done").fill("books were right")
    ana.get_by_role("button", name="Resolve").click()
    assert ana.get_by_role("heading", name="Changed by someone else").is_visible()
    assert ana.get_by_text(re.compile(r"was changed by ben at \d{4}-")).is_visible()
    ana.goto(f"/exceptions/{exception}")
    assert ana.locator("h1 .status").inner_text() == "OPEN"


def test_a_form_without_its_csrf_token_is_refused(
    open_as: Callable[[str | None], Page],
) -> None:
    page = open_as("ana")
    exception = exception_ids(page, "?type=HALF_COMPLETED&sort=exception_id")[1]
    page.goto(f"/exceptions/{exception}")
    form = page.locator("form[action$='/comment']")
    form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    form.get_by_label("Comment").fill("no token")
    form.get_by_role("button", name="Add comment").click()
    assert page.get_by_text("missing or wrong CSRF token").is_visible()
    page.goto(f"/exceptions/{exception}")
    assert page.get_by_text("no token").count() == 0


@pytest.mark.parametrize(
    ("signed_in_ago", "last_seen_ago"),
    [
        (timedelta(hours=8, minutes=5), timedelta(minutes=1)),
        (timedelta(hours=1), timedelta(minutes=31)),
    ],
    ids=["absolute", "idle"],
)
def test_an_expired_session_goes_back_to_sign_in(
    open_as: Callable[[str | None], Page],
    server: str,
    signed_in_ago: timedelta,
    last_seen_ago: timedelta,
) -> None:
    page = open_as(None)
    now = datetime.now(UTC)
    old = Session("sid-old", "csrf-old", "ana", now - signed_in_ago, now - last_seen_ago)
    codec = SessionCodec(SECRET.encode(), session_minutes=480, idle_minutes=30)
    page.context.add_cookies([{"name": COOKIE_NAME, "value": codec.dumps(old), "url": server}])
    page.goto("/queue")
    assert "/login" in page.url
    assert page.get_by_text(re.compile(r"Your session expired")).is_visible()


def test_the_queue_works_without_javascript(browser: sync_api.Browser, server: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "ben")
        page.get_by_label("MEDIUM").check()
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(re.compile(r"severity=MEDIUM"))
        page.get_by_role("link", name="Amount").click()
        page.wait_for_url(re.compile(r"sort=amount.*severity=MEDIUM|severity=MEDIUM.*sort=amount"))
        row = page.locator("table.queue tbody tr", has=page.get_by_role("button", name="Take"))
        exception = row.first.locator("input[name=ids]").get_attribute("value")
        row.first.get_by_role("button", name="Take").click()
        page.wait_for_url(re.compile(rf"/exceptions/{exception}\?done=assigned"))
        assert page.get_by_text("Assigned.").is_visible()
        assert page.get_by_text("held by ben").is_visible()
    finally:
        context.close()


def test_no_page_breaks_its_content_security_policy(
    open_as: Callable[[str | None], Page],
) -> None:
    """A blocked inline script or style shows as a console error; none may appear."""
    page = open_as(None)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, "lead")
    page.get_by_role("link", name="Amount").click()
    page.wait_for_url(re.compile(r"sort=amount"))
    page.get_by_label("tick all rows").check()
    exception = page.locator("table.queue tbody input[name=ids]").first.get_attribute("value")
    for path in (f"/exceptions/{exception}", "/approvals", "/dashboard", "/audit"):
        page.goto(path)
    assert problems == []


def screenshot_folder(tmp_path: Path) -> Path:
    """docs/img/ when asked to refresh the README's images (`make screenshots`), else a
    temporary folder: a test run leaves the working tree as it was."""
    return README_IMAGES if os.environ.get(UPDATE_SCREENSHOTS) == "1" else tmp_path


def test_screenshots_for_the_readme(open_as: Callable[[str | None], Page], tmp_path: Path) -> None:
    """Takes queue.png, exception.png and dashboard.png (docs/img/ shows them in the README)."""
    folder = screenshot_folder(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page = open_as("lead")
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto("/queue?sort=amount&desc=1")
    page.screenshot(path=folder / "queue.png")
    exception = with_suggestion(page, "?subtype=GATEWAY_DOUBLE_CHARGE&sort=exception_id")
    page.screenshot(path=folder / "exception.png", full_page=True)
    page.goto("/dashboard")
    page.screenshot(path=folder / "dashboard.png", full_page=True)
    for name in ("queue", "exception", "dashboard"):
        assert (folder / f"{name}.png").stat().st_size > 10_000, name
    assert exception


def test_a_test_run_writes_screenshots_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UPDATE_SCREENSHOTS, raising=False)
    assert screenshot_folder(tmp_path) == tmp_path
    monkeypatch.setenv(UPDATE_SCREENSHOTS, "1")
    assert screenshot_folder(tmp_path) == README_IMAGES
