"""The queue: filters, any column sorted with exception_id breaking ties, pages, saved views."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from recon.db import connect
from recon.errors import StoreError
from recon.store import record_run
from recon.store.actions import assign, resolve
from recon.store.commands import main
from recon.store.queries import SAVED_VIEWS, SORTABLE, QueueQuery, queue_page, saved_view

from .builders import F, at, load_findings, run_info

# six findings: equal amounts and customers to make ties, one on channel WEB, one HIGH
FINDINGS = [
    F("T1", "100.00"),
    F("T2", "2000.00", customer_id="C2"),
    F("T3", "100.00", customer_id=None),
    F("T4", "25000.00", customer_id="C2"),
    F("T5", "2000.00"),
    F("T6", "500.00"),
]
NOW = run_info(1).started_at + timedelta(hours=10)  # HIGH (4 h) breached, the rest not yet
EVERY = QueueQuery(statuses=(), page_size=1000)


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    """One store for the whole module: every test here only reads it."""
    store = tmp_path_factory.mktemp("queue") / "recon.duckdb"
    con = connect()
    load_findings(con, FINDINGS)
    con.execute("UPDATE findings SET channel = 'WEB' WHERE txn_ref = 'T2'")
    record_run(store, con, run_info(1, incident_id="INC-7"), actor="nightly", now=at(1))
    con.close()
    later = at(1) + timedelta(minutes=5)
    assign(store, "EX-DEBI-T1", to="ann", actor="ann", now=later)
    assign(store, "EX-DEBI-T5", to="bob", actor="bob", now=later)
    resolve(store, "EX-DEBI-T6", code="CORRECTED", note="posted", actor="ann", now=later)
    return store


def ids(page):
    return [r["exception_id"] for r in page.rows]


def page_of(store, **query):
    return queue_page(store, replace(EVERY, **query), now=NOW)


def expected_order(rows, column, descending):
    """The documented order: by the column, NULLs last either way, ties by exception id."""
    by_id = sorted(rows, key=lambda r: r["exception_id"])
    present = [r for r in by_id if r[column] is not None]
    present.sort(key=lambda r: r[column], reverse=descending)  # stable: ties stay by id
    return [r["exception_id"] for r in present + [r for r in by_id if r[column] is None]]


def test_by_default_the_queue_is_the_open_exceptions_most_urgent_first(queue):
    page = queue_page(queue, QueueQuery(), now=NOW)
    assert ids(page) == ["EX-DEBI-T4", "EX-DEBI-T2", "EX-DEBI-T5", "EX-DEBI-T1", "EX-DEBI-T3"]
    assert page.total == 5


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", SORTABLE)
def test_every_column_sorts_with_nulls_last_and_ties_broken_by_exception_id(
    queue, column, descending
):
    page = page_of(queue, sort=column, descending=descending)
    assert ids(page) == expected_order(page.rows, column, descending)


def test_ties_are_broken_by_exception_id(queue):
    page = page_of(queue, sort="amount")
    assert ids(page)[:2] == ["EX-DEBI-T1", "EX-DEBI-T3"]  # both 100.00


def test_pages_split_the_sorted_queue_without_overlap(queue):
    whole = ids(page_of(queue, sort="amount"))
    pages = [page_of(queue, sort="amount", page=n, page_size=4) for n in (1, 2)]
    assert [ids(p) for p in pages] == [whole[:4], whole[4:]]
    assert {(p.total, p.pages) for p in pages} == {(6, 2)}


def test_a_page_past_the_last_is_empty_and_still_counts(queue):
    page = page_of(queue, page=3, page_size=4)
    assert (page.rows, page.total) == ([], 6)


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ({"sort": "amount; DROP TABLE exceptions"}, "cannot sort by"),
        ({"page": 0}, "page must be 1 or more"),
        ({"page_size": 0}, "page size must be 1 to 1000"),
        ({"page_size": 1001}, "page size must be 1 to 1000"),
    ],
)
def test_a_bad_order_or_page_is_refused(queue, query, why):
    with pytest.raises(StoreError, match=why):
        page_of(queue, **query)


@pytest.mark.parametrize(
    "query",
    [
        {"min_amount": Decimal("1e30")},
        {"max_amount": Decimal("-1e16")},
        {"min_age_hours": Decimal("1e400")},
        {"max_age_hours": Decimal("Infinity")},
    ],
)
def test_a_filter_number_the_store_cannot_compare_is_refused_by_name(queue, query):
    """Not DuckDB's internal conversion error: the field, its range and the value."""
    with pytest.raises(StoreError, match=r"(amount|age) must be between -\d+\.\d+ and \d+"):
        page_of(queue, **query)


def test_the_cli_names_a_filter_number_out_of_range(queue, capsys):
    code = main(["exceptions", "list", "--store", str(queue), "--min-amount", "1e30"])
    assert code == 2
    assert "min amount must be between" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"breached": True}, ["EX-DEBI-T4"]),
        ({"breached": False, "statuses": ("OPEN",)}, ["EX-DEBI-T2", "EX-DEBI-T3"]),
        ({"channel": "web"}, ["EX-DEBI-T2"]),
        ({"incident_id": "INC-7", "severities": ("HIGH",)}, ["EX-DEBI-T4"]),
        ({"incident_id": "INC-8"}, []),
        ({"assignee": "unassigned", "statuses": ("OPEN", "ASSIGNED")}, ["EX-DEBI-T2",
                                                                       "EX-DEBI-T3",
                                                                       "EX-DEBI-T4"]),
        ({"assignee": "bob"}, ["EX-DEBI-T5"]),
        ({"customer": "C2", "min_amount": 5000}, ["EX-DEBI-T4"]),
        ({"types": ("HALF_COMPLETED",), "max_amount": 100}, ["EX-DEBI-T1", "EX-DEBI-T3"]),
    ],
)  # fmt: skip
def test_filters(queue, query, expected):
    assert sorted(ids(page_of(queue, **query))) == expected


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", ["EX-DEBI-T1"]),
        ("breached", ["EX-DEBI-T4"]),
        ("unassigned-high", ["EX-DEBI-T4"]),
    ],
)
def test_saved_views_for_a_user(queue, view, expected):
    assert ids(queue_page(queue, SAVED_VIEWS[view]("ann"), now=NOW)) == expected


def test_an_unknown_saved_view_is_refused(queue):
    with pytest.raises(StoreError, match="no saved view 'everything'"):
        saved_view("everything", "ann")


def run_csv(capsys, store, *argv):
    code = main(["exceptions", "list", "--store", str(store), "--as-of", NOW.isoformat(),
                 "--format", "csv", *argv])  # fmt: skip
    return code, [r["exception_id"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]


def test_the_cli_sorts_by_any_column_descending(queue, capsys):
    code, listed = run_csv(capsys, queue, "--sort", "amount", "--desc")
    assert code == 0
    assert listed == ["EX-DEBI-T4", "EX-DEBI-T2", "EX-DEBI-T5", "EX-DEBI-T1", "EX-DEBI-T3"]


def test_the_cli_pages(queue, capsys):
    _, listed = run_csv(capsys, queue, "--sort", "amount", "--page", "2", "--page-size", "2")
    assert listed == ["EX-DEBI-T2", "EX-DEBI-T5"]


def test_the_cli_filters_breached(queue, capsys):
    assert run_csv(capsys, queue, "--breached")[1] == ["EX-DEBI-T4"]


def test_the_cli_view_mine_is_the_actors_items(queue, capsys):
    assert run_csv(capsys, queue, "--view", "mine", "--actor", "bob")[1] == ["EX-DEBI-T5"]


def test_the_cli_table_says_which_page_it_shows(queue, capsys):
    main(["exceptions", "list", "--store", str(queue), "--page", "1", "--page-size", "2"])
    assert "5 exception(s); page 1 of 3, rows 1-2" in capsys.readouterr().out
