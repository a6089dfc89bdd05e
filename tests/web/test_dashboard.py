"""The dashboard's figures are the store's: each one equals what the queue, the proposals and
the audit log say when counted by hand, on the sample day worked by the team, and the page
shows the library's figures."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recon.config import load_config
from recon.store import actions, proposals
from recon.store.audit import LogFilter, audit_log
from recon.store.dashboard import dashboard
from recon.store.queries import QueueQuery, list_exceptions
from recon.store.statuses import OPEN_STATUSES

from .conftest import SAMPLE, copy_store

BOTH_BACKENDS = True  # conftest.py: these tests run over a PostgreSQL store too

SLA = load_config(SAMPLE / "recon.toml").sla
AGE_BUCKETS = ((4, "under 4 hours"), (24, "4 to 24 hours"), (72, "1 to 3 days"),
               (168, "3 to 7 days"))  # fmt: skip


@pytest.fixture(scope="module")
def worked(team_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    """The sample day after a morning's work: items taken, resolved, reopened, reassigned, a
    proposal waiting and one approved. Read only; `as_of` a day and a half later, so that
    some SLAs have passed and others not."""
    store = copy_store(team_store, tmp_path_factory.mktemp("worked"))
    every = list_exceptions(store, QueueQuery(statuses=(), sort="exception_id"))
    ids = every["exception_id"].to_list()
    actions.bulk(store, ids[0:12], "assign", actor="ana", note=None, to="ana")
    actions.bulk(store, ids[12:20], "assign", actor="ben", note=None, to="ben")
    actions.bulk(store, ids[0:7], "resolve", actor="ana", code="FALSE_POSITIVE", note="fine")
    actions.bulk(store, ids[12:15], "resolve", actor="ben", code="WRITTEN_OFF", note="small")
    actions.reopen(store, ids[0], note="not fine after all", actor="lead")
    actions.reassign(store, ids[15], to="ana", note="ben is off", actor="lead")
    actions.add_comment(store, ids[16], text="called the bank", actor="ben")
    with_suggestion = [
        e for e in ids if proposals.suggestions_for(store, e, kind="CORRECTION") and e != ids[0]
    ]
    first = proposals.propose(store, with_suggestion[0], "CORRECTION", actor="ana")
    proposals.propose(store, with_suggestion[1], "CORRECTION", actor="ana")
    proposals.approve(store, first.proposal_id, actor="bob", note="ok")
    return store, datetime.now(UTC) + timedelta(hours=36)


def by_hand(store: Path, as_of: datetime) -> list[dict]:
    """Every exception as the queue shows it (aged as of `as_of`)."""
    return list_exceptions(store, QueueQuery(statuses=()), as_of=as_of, sla=SLA).to_dicts()


def grouped(rows: list[dict], key: Callable[[dict], str]) -> dict[tuple[str, str], tuple]:
    """(bucket, currency) -> (items, amount, breached) over the open rows."""
    out: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal(0), 0])
    for row in rows:
        if row["status"] in OPEN_STATUSES:
            one = out[(key(row), row["currency"])]
            one[0] += 1
            one[1] += row["amount"]
            one[2] += int(row["sla_breached"])
    return {k: tuple(v) for k, v in out.items()}


def shown(rows: list[dict]) -> dict[tuple[str, str], tuple]:
    return {(r["bucket"], r["currency"]): (r["items"], r["amount"], r["breached"]) for r in rows}


def age_bucket(row: dict) -> str:
    return next((name for limit, name in AGE_BUCKETS if row["age_hours"] < limit), "over 7 days")


@pytest.mark.parametrize(
    ("dimension", "key"),
    [
        ("type", lambda r: r["type"]),
        ("channel", lambda r: r["channel"] or "(no channel request)"),
        ("age", age_bucket),
    ],
    ids=["type", "channel", "age"],
)
def test_open_items_and_money_by_dimension_equal_the_queues(
    worked: tuple[Path, datetime], dimension: str, key: Callable[[dict], str]
) -> None:
    store, as_of = worked
    figures = dashboard(store, sla=SLA, as_of=as_of)
    assert shown(figures.open_by[dimension]) == grouped(by_hand(store, as_of), key)


def test_sla_per_severity_equals_the_queues(worked: tuple[Path, datetime]) -> None:
    store, as_of = worked
    expected: dict[str, Counter] = defaultdict(Counter)
    for row in by_hand(store, as_of):
        counts = expected[row["severity"]]
        if row["status"] in OPEN_STATUSES:
            counts["open_items"] += 1
            counts["open_breached"] += int(row["sla_breached"])
        elif row["status"] == "RESOLVED":
            counts["resolved"] += 1
            counts["resolved_in_time"] += int(not row["sla_breached"])
    figures = dashboard(store, sla=SLA, as_of=as_of)
    got = {r.pop("severity"): {k: v for k, v in r.items() if v} for r in figures.sla}
    assert got == {severity: {k: v for k, v in c.items() if v} for severity, c in expected.items()}
    assert sum(r["resolved"] for r in figures.sla) == 9  # 7 + 3 resolved, 1 reopened


def test_per_analyst_throughput_equals_the_audit_log(worked: tuple[Path, datetime]) -> None:
    store, as_of = worked
    events = [
        e
        for e in audit_log(store, LogFilter()).to_dicts()
        if e["run_id"] is None and not e["exception_id"].startswith("user:")
    ]
    expected: dict[str, Counter] = defaultdict(Counter)
    for e in events:
        kind = {"RESOLVED": "resolved", "ASSIGNED": "assigned", "REASSIGNED": "assigned",
                "REOPENED": "reopened"}.get(e["action"], "other")  # fmt: skip
        expected[e["actor"]][kind] += 1
        if kind == "resolved" and e["changed_at"] > as_of - timedelta(days=1):
            expected[e["actor"]]["resolved_1d"] += 1
    got = {
        r["actor"]: {k: r[k] for k in ("resolved", "assigned", "reopened", "other", "resolved_1d")}
        for r in dashboard(store, sla=SLA, as_of=as_of).throughput
    }
    assert got == {
        actor: {k: c[k] for k in ("resolved", "assigned", "reopened", "other", "resolved_1d")}
        for actor, c in expected.items()
    }
    assert got["ana"]["resolved"] == 7
    assert got["lead"]["reopened"] == 1


def test_the_timeline_counts_every_finding_once(worked: tuple[Path, datetime]) -> None:
    store, as_of = worked
    rows = by_hand(store, as_of)
    figures = dashboard(store, sla=SLA, as_of=as_of)
    assert sum(b["findings"] for b in figures.timeline) == sum(
        1 for r in rows if r["event_at"] is not None
    )
    assert sum(b["still_open"] for b in figures.timeline) == sum(
        1 for r in rows if r["event_at"] is not None and r["status"] in OPEN_STATUSES
    )


def test_the_page_shows_the_librarys_figures(
    worked: tuple[Path, datetime], make_client: Callable[..., TestClient]
) -> None:
    from .conftest import sign_in

    store, as_of = worked
    client = sign_in(make_client(store_path=store, clock=lambda: as_of), "lead")
    page = html.unescape(re.sub(r"<[^>]+>", " ", client.get("/dashboard").text))
    page = re.sub(r"\s+", " ", page)
    rows = by_hand(store, as_of)
    open_rows = [r for r in rows if r["status"] in OPEN_STATUSES]
    money = sum(r["amount"] for r in open_rows)
    per_transfer: dict[object, Decimal] = {}
    for r in open_rows:
        key = r["txn_ref"] or r["exception_id"]
        per_transfer[key] = max(per_transfer.get(key, Decimal(0)), r["amount"])
    held = sum(per_transfer.values())
    assert held < money  # the sample day has transfers two open exceptions name
    breached = sum(int(r["sla_breached"]) for r in open_rows)
    assert f"{len(open_rows)} open · {held:,.2f} CNY at stake · {breached} past SLA" in page
    assert f"the exceptions' amounts add up to {money:,.2f}" in page
    waiting = len(proposals.list_proposals(store, states=("PROPOSED",)))
    unposted = len(proposals.list_proposals(store, states=("APPROVED",)))
    assert f"{waiting} waiting for approval · {unposted} approved, not posted" in page
    assert (waiting, unposted) == (1, 1)
