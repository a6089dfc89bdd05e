"""What the pages do, server side: busy store, stale forms, claims, attachments as downloads,
escaping, masking, bulk outcomes, the maker-checker rule as the web shows it."""

from __future__ import annotations

import fcntl
import html
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from recon.store.location import pg_location
from recon.store.lock import lock_path_of
from recon.store.pg.connection import lock_for_writing, pg_connect
from recon.web.settings import WebSettings
from tests.store.backends import is_pg

from .conftest import csrf_of, first_exception

BOTH_BACKENDS = True  # conftest.py: these tests run over a PostgreSQL store too

SignedIn = Callable[[str], TestClient]


def version_of(client: TestClient, exception_id: str) -> str:
    page = client.get(f"/exceptions/{exception_id}").text
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the exception page has no version field"
    return found.group(1)


def post(client: TestClient, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/queue"), **data})


@contextmanager
def run_holding(store: Path | str) -> Iterator[None]:
    """Hold the store's lock as a committing run does."""
    if is_pg(store):
        location = pg_location(str(store))
        with pg_connect(location, owner="run run-1") as conn, conn.transaction():
            lock_for_writing(conn, location, 0)
            yield
        return
    fd = os.open(lock_path_of(store), os.O_RDWR | os.O_CREAT, 0o664)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def test_a_busy_store_is_a_503_page_with_retry_after(signed_in: SignedIn, store: Path) -> None:
    client = signed_in("ana")
    exception = first_exception(client)
    with run_holding(store):
        if is_pg(store):  # readers never wait on PostgreSQL: the queue shows, a change waits
            assert client.get("/queue").status_code == 200
            response = post(client, f"/exceptions/{exception}/comment", text="seen")
        else:
            response = client.get("/queue")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "a reconciliation run is committing the store; try again in a few seconds" in (
        response.text.lower()
    )
    assert "Traceback" not in response.text
    assert str(store) not in response.text


def test_a_stale_form_says_who_changed_it_and_when(signed_in: SignedIn) -> None:
    ana, ben = signed_in("ana"), signed_in("ben")
    exception = first_exception(ana)
    seen = version_of(ana, exception)
    assert post(ben, f"/exceptions/{exception}/comment", text="looking").status_code == 200
    response = post(
        ana, f"/exceptions/{exception}/resolve", version=seen, code="FALSE_POSITIVE", note="ok"
    )
    assert response.status_code == 409
    assert re.search(r"changed by ben at \d{4}-\d\d-\d\dT", response.text)
    assert "RESOLVED" not in ana.get(f"/exceptions/{exception}").text.split("History")[0]


def test_taking_an_item_someone_holds_is_refused(signed_in: SignedIn) -> None:
    ana, ben = signed_in("ana"), signed_in("ben")
    exception = first_exception(ana)
    assert post(ana, f"/exceptions/{exception}/assign").status_code == 200
    response = post(ben, f"/exceptions/{exception}/assign", version=version_of(ben, exception))
    assert response.status_code == 409
    assert "held by ana" in response.text


def test_the_lead_reassigns_a_held_item_with_a_note(signed_in: SignedIn) -> None:
    ana, lead = signed_in("ana"), signed_in("lead")
    exception = first_exception(ana)
    post(ana, f"/exceptions/{exception}/assign")
    response = post(lead, f"/exceptions/{exception}/reassign", to="ben", note="ana is off")
    assert response.status_code == 200
    assert "reassigned from ana to ben" in response.text


def test_bulk_gives_each_row_its_own_outcome(signed_in: SignedIn) -> None:
    ana, ben = signed_in("ana"), signed_in("ben")
    page = ana.get("/queue").text
    ids = re.findall(r'name="ids" value="(EX-[0-9A-F]+)"', page)[:3]
    versions = dict(re.findall(r'name="v\.(EX-[0-9A-F]+)" value="(\d+)"', page))
    post(ben, f"/exceptions/{ids[1]}/assign")  # after ana's queue was shown
    response = ana.post(
        "/queue/bulk",
        data={
            "csrf_token": csrf_of(ana, "/queue"),
            "action": "assign",
            "ids": ids,
            "bulk_note": "mine now",
            **{f"v.{i}": versions[i] for i in ids},
        },
    )
    assert response.status_code == 200
    assert "2 of 3 done" in response.text
    assert re.search(rf"{ids[1]}.*?refused.*?changed by ben", response.text, re.S)


def test_a_refusal_on_a_page_names_no_command_line_option(signed_in: SignedIn) -> None:
    """The library's hints for the CLI ("(--note)", "`recon exceptions reassign`") mean
    nothing in a browser: the page shows the sentence without them."""
    ana, ben, lead = signed_in("ana"), signed_in("ben"), signed_in("lead")
    exception = first_exception(ana)
    post(ana, f"/exceptions/{exception}/assign")
    no_note = html.unescape(post(lead, f"/exceptions/{exception}/reassign", to="ben").text)
    assert "reassigning needs a note saying why" in no_note
    held = html.unescape(
        ben.post(
            "/queue/bulk",
            data={"csrf_token": csrf_of(ben, "/queue"), "action": "assign", "ids": [exception]},
        ).text
    )
    assert f"{exception} is held by ana" in held
    assert "taking it is a lead's reassign with a note" in held
    for page in (no_note, held):
        assert "--note" not in page
        assert "`recon" not in page


def test_bulk_resolve_needs_a_code_and_says_so(signed_in: SignedIn) -> None:
    ana = signed_in("ana")
    exception = first_exception(ana)
    response = ana.post(
        "/queue/bulk",
        data={
            "csrf_token": csrf_of(ana, "/queue"),
            "action": "resolve",
            "ids": [exception],
            "bulk_note": "done",
        },
    )
    assert response.status_code == 400
    assert "resolution code" in response.text


def test_an_attachment_is_served_only_as_a_download(signed_in: SignedIn) -> None:
    ana = signed_in("ana")
    exception = first_exception(ana)
    evil = b"<html><script>alert(1)</script></html>"
    uploaded = ana.post(
        f"/exceptions/{exception}/attach",
        data={"csrf_token": csrf_of(ana, "/queue")},
        files={"file": ("evil.html", evil, "text/html")},
    )
    assert uploaded.status_code == 200
    link = re.search(r'href="(/attachments/\d+)"', uploaded.text)
    assert link, "the exception page lists no attachment"
    download = ana.get(link.group(1))
    assert download.content == evil
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith('attachment; filename="evil.html"')
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in download.headers["content-security-policy"]


def test_an_upload_over_the_limit_is_refused_with_413(
    make_client: Callable[..., TestClient], settings: WebSettings
) -> None:
    small = replace(settings.config, web=replace(settings.config.web, max_attachment_bytes=1000))
    client = make_client(config=small)
    from .conftest import sign_in

    sign_in(client, "ana")
    exception = first_exception(client)
    response = client.post(
        f"/exceptions/{exception}/attach",
        data={"csrf_token": csrf_of(client, "/queue")},
        files={"file": ("big.bin", b"x" * 200_000, "application/octet-stream")},
    )
    assert response.status_code == 413
    assert (
        "attachment"
        not in client.get(f"/exceptions/{exception}").text.split("Attachments")[1][:200]
    )


def test_what_users_typed_is_shown_as_text(signed_in: SignedIn) -> None:
    ana = signed_in("ana")
    exception = first_exception(ana)
    post(ana, f"/exceptions/{exception}/comment", text="<script>alert(1)</script> abc\u202edef")
    page = ana.get(f"/exceptions/{exception}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "abc&lt;U+202E&gt;def" in page


def test_a_viewer_sees_customer_ids_masked_an_analyst_in_full(signed_in: SignedIn) -> None:
    viewer, analyst = signed_in("vic"), signed_in("ana")
    full = re.findall(r'class="mono">(C\d{8})<', analyst.get("/queue").text)
    assert full, "the analyst's queue shows full customer ids"
    masked = viewer.get("/queue").text
    assert full[0] not in masked
    assert re.search(r'class="mono">C0\*{6}\d{4}<', masked)


def test_the_queue_filters_sorts_and_pages(signed_in: SignedIn) -> None:
    ana = signed_in("ana")
    page = ana.get("/queue?severity=HIGH&sort=amount&desc=1").text
    amounts = [
        float(a.replace(",", "")) for a in re.findall(r'class="num">([\d,]+\.\d\d) CNY<', page)
    ]
    assert amounts == sorted(amounts, reverse=True)
    assert all(a >= 10000 for a in amounts)
    second = ana.get("/queue?page=2").text
    assert "page 2 of" in second


def test_a_bad_filter_value_is_a_clear_400(signed_in: SignedIn) -> None:
    response = signed_in("ana").get("/queue?min_amount=lots")
    assert response.status_code == 400
    assert "min amount must be a number" in response.text


def test_the_proposer_cannot_approve_their_own_proposal(signed_in: SignedIn, store: Path) -> None:
    from recon.store.proposals import list_proposals

    lead = signed_in("lead")
    exception, suggestion = suggested_exception(lead)
    post(lead, f"/exceptions/{exception}/propose", kind="CORRECTION", suggestion_id=suggestion)
    (proposal,) = list_proposals(store, exception_id=exception)
    page = lead.get(f"/exceptions/{exception}").text
    assert f"lead proposed {proposal.proposal_id}; the approver must be someone else" in page
    assert f'action="/proposals/{proposal.proposal_id}/approve"' not in page
    response = post(
        lead,
        f"/proposals/{proposal.proposal_id}/approve",
        version=str(proposal.version),
        note="fine",
    )
    assert response.status_code == 403
    assert "PROPOSED" in lead.get(f"/exceptions/{exception}").text


def test_the_approvals_page_says_whose_decision_it_is_not(signed_in: SignedIn) -> None:
    """A proposal on an exception the approver resolved shows the rule's reason, no buttons."""
    ana, bob = signed_in("ana"), signed_in("bob")
    exception, suggestion = suggested_exception(ana)
    post(ana, f"/exceptions/{exception}/propose", kind="CORRECTION", suggestion_id=suggestion)
    post(
        bob,
        f"/exceptions/{exception}/resolve",
        version=version_of(bob, exception),
        code="CORRECTED",
        note="posted the legs by hand",
    )
    page = html.unescape(bob.get("/approvals").text)
    assert f"Not yours to decide: bob resolved {exception}" in page
    assert "/approve" not in page


def test_propose_then_approve_by_another_then_post(signed_in: SignedIn) -> None:
    ana, bob = signed_in("ana"), signed_in("bob")
    exception, suggestion = suggested_exception(ana)
    post(ana, f"/exceptions/{exception}/propose", kind="CORRECTION", suggestion_id=suggestion)
    proposal, version = proposal_on(bob, exception)
    approved = post(
        bob,
        f"/proposals/{proposal}/approve",
        version=version,
        note="checked",
        back=f"/exceptions/{exception}",
    )
    assert approved.status_code == 200
    _, version = proposal_on(ana, exception)
    posted = post(
        ana,
        f"/proposals/{proposal}/post",
        version=version,
        posting_ref="GL-42",
        back=f"/exceptions/{exception}",
    )
    assert posted.status_code == 200
    assert "GL-42" in posted.text
    assert "POSTED" in posted.text


def test_the_stores_approval_limit_holds_whatever_the_servers_config(
    signed_in: SignedIn, store: Path
) -> None:
    """The sample config has no [approvals]; the limit set in the store applies anyway."""
    from recon.store.approval_limit import set_approval_limit
    from recon.store.proposals import list_proposals

    set_approval_limit(store, "1.00", actor="lead")
    ana, bob = signed_in("ana"), signed_in("bob")
    exception, suggestion = suggested_exception(ana)
    post(ana, f"/exceptions/{exception}/propose", kind="CORRECTION", suggestion_id=suggestion)
    (proposal,) = list_proposals(store, exception_id=exception)
    page = html.unescape(bob.get("/approvals").text)
    assert "above 1.00 only an admin decides" in page
    assert f"{proposal.proposal_id} is {proposal.amount} CNY, above the approval limit 1.00" in page
    response = post(
        bob, f"/proposals/{proposal.proposal_id}/approve", version=str(proposal.version)
    )
    assert response.status_code == 403
    assert "only an admin may decide it" in response.text


def suggested_exception(client: TestClient) -> tuple[str, str]:
    """An exception with a suggested correction, and that suggestion's id."""
    for exception in re.findall(r'href="/exceptions/(EX-[0-9A-F]+)"', client.get("/queue").text):
        found = re.search(
            r'name="suggestion_id" value="(CR-[^"]+)"', client.get(f"/exceptions/{exception}").text
        )
        if found:
            return exception, found.group(1)
    raise AssertionError("no exception on the first page has a suggested correction")


def proposal_on(client: TestClient, exception: str) -> tuple[str, str]:
    page = client.get(f"/exceptions/{exception}").text
    proposal = re.search(r'action="/proposals/(P-\d+)/', page)
    assert proposal, "no proposal form on the exception page"
    form = rf'action="/proposals/{proposal.group(1)}/[a-z]+">\s*<input[^>]*>\s*'
    version = re.search(form + r'<input type="hidden" name="version" value="(\d+)"', page)
    assert version
    return proposal.group(1), version.group(1)


def test_a_double_credit_alert_is_on_the_queue_until_acknowledged(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from recon.store.actions import resolve
    from recon.store.users import add_user
    from tests.store.remedy_builders import reconcile, stored, write_day

    from .conftest import PASSWORD, sign_in

    store = tmp_path / "alert.duckdb"
    reconcile(
        write_day(tmp_path / "d1", late_credit=False),
        tmp_path / "o1",
        store,
        datetime(2024, 3, 16, tzinfo=UTC),
    )
    ((exception,),) = stored(store, "SELECT exception_id FROM exceptions")
    add_user(store, "lead", "admin", PASSWORD["lead"], actor="setup")
    add_user(store, "ana", "analyst", PASSWORD["ana"], actor="lead")
    resolve(store, exception, code="CORRECTED", note="credit posted by hand", actor="ana")
    reconcile(
        write_day(tmp_path / "d2", late_credit=True),
        tmp_path / "o2",
        store,
        datetime(2024, 3, 17, tzinfo=UTC),
    )
    client = sign_in(make_client(store_path=store), "ana")
    assert "Double-credit risk" in client.get("/queue").text
    assert "may have been credited twice" in client.get(f"/exceptions/{exception}").text
    done = post(client, f"/exceptions/{exception}/acknowledge", note="reversed the manual credit")
    assert "Alert acknowledged." in done.text
    assert "Double-credit risk" not in client.get("/queue").text


def test_an_unknown_exception_or_attachment_is_a_404_page(signed_in: SignedIn) -> None:
    client = signed_in("ana")
    missing = client.get("/exceptions/EX-0000000000000000")
    assert missing.status_code == 404
    assert "no exception 'EX-0000000000000000'" in html.unescape(missing.text)
    assert client.get("/attachments/987654").status_code == 404
