"""Compensation per customer and currency, from the open exceptions."""

from __future__ import annotations

from decimal import Decimal

from recon.remedies import compensation_by_customer

from .open_exceptions import open_exceptions


def owed(con):
    compensation_by_customer(con)
    return con.execute(
        "SELECT customer_id, currency, compensation, exception_ids FROM compensation ORDER BY 1, 2"
    ).fetchall()


def test_a_customers_compensation_adds_up_across_their_exceptions(con):
    open_exceptions(
        con,
        [
            {"exception_id": "EX-B", "proposed_action": "REVERSE_DEBIT", "compensation": "0.10"},
            {"exception_id": "EX-A", "proposed_action": "RECALL_PAYMENT", "compensation": "2.05"},
        ],
    )
    assert owed(con) == [("C1", "CNY", Decimal("2.15"), "EX-A;EX-B")]


def test_exceptions_owing_nothing_are_left_out(con):
    open_exceptions(
        con,
        [
            {"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT", "compensation": "0.10"},
            {"exception_id": "EX-2", "proposed_action": "NOTIFY_CUSTOMER"},
            {"exception_id": "EX-3", "proposed_action": "INVESTIGATE", "customer_id": "C2"},
        ],
    )
    assert owed(con) == [("C1", "CNY", Decimal("0.10"), "EX-1")]


def test_each_currency_is_owed_on_its_own_line(con):
    open_exceptions(
        con,
        [
            {"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT", "compensation": "0.10"},
            {
                "exception_id": "EX-2",
                "proposed_action": "REVERSE_DEBIT",
                "compensation": "0.20",
                "currency": "USD",
            },
        ],
    )
    assert owed(con) == [
        ("C1", "CNY", Decimal("0.10"), "EX-1"),
        ("C1", "USD", Decimal("0.20"), "EX-2"),
    ]


def test_money_owed_to_an_unknown_customer_is_still_listed(con):
    open_exceptions(
        con,
        [
            {
                "exception_id": "EX-1",
                "proposed_action": "REVERSE_DEBIT",
                "compensation": "0.10",
                "customer_id": None,
            }
        ],
    )
    assert owed(con) == [("", "CNY", Decimal("0.10"), "EX-1")]


def test_a_run_without_open_exceptions_owes_nothing(con):
    open_exceptions(con, [])
    assert owed(con) == []
    columns = [d[0] for d in con.execute("SELECT * FROM compensation").description]
    assert columns == ["customer_id", "currency", "compensation", "exception_ids"]
