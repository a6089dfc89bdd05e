"""Proposed correcting entries: one balanced debit/credit pair per money-moving exception."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.remedies import POSTING_ACTIONS, propose_corrections

from .open_exceptions import SUBTYPE, legs, open_exceptions, source_tables

D, C = "D", "C"
HUNDRED = Decimal("100.00")


def test_reverse_debit_returns_the_money_from_the_clearing_leg_to_the_customer(con):
    source_tables(con, credit_legs=[("T1", "CLR-1", "POSTED")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "CLR-1", HUNDRED), (C, "A1", HUNDRED)]


def test_reverse_debit_without_a_credit_leg_takes_the_money_from_suspense(con):
    source_tables(con)
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "SUSPENSE-CNY", HUNDRED), (C, "A1", HUNDRED)]


def test_a_suspected_retry_is_refunded_like_a_reversal(con):
    source_tables(con, credit_legs=[("T1", "B1", "POSTED")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "REVIEW_REFUND"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "B1", HUNDRED), (C, "A1", HUNDRED)]


def test_a_recalled_double_charge_goes_back_to_the_customer(con):
    source_tables(con, credit_legs=[("T1", "CLR-1", "POSTED")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "RECALL_PAYMENT"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "CLR-1", HUNDRED), (C, "A1", HUNDRED)]


def test_a_missing_credit_is_posted_to_the_payee_leg_from_suspense(con):
    source_tables(con, credit_legs=[("T1", "B1", "PENDING")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "POST_CREDIT_OR_REVERSE"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "SUSPENSE-CNY", HUNDRED), (C, "B1", HUNDRED)]


def test_without_a_known_payee_the_missing_credit_is_reversed_to_the_customer(con):
    source_tables(con)
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "POST_CREDIT_OR_REVERSE"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "SUSPENSE-CNY", HUNDRED), (C, "A1", HUNDRED)]


def test_post_entries_books_the_debit_and_credits_the_requested_payee(con):
    source_tables(con, payees=[("T1", "B9")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "POST_ENTRIES"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "A1", HUNDRED), (C, "B9", HUNDRED)]


def test_a_posted_credit_leg_is_preferred_to_a_failed_one(con):
    source_tables(con, credit_legs=[("T1", "OLD", "FAILED"), ("T1", "CLR-1", "POSTED")])
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT"}])
    propose_corrections(con)
    assert legs(con, "EX-1")[0] == (D, "CLR-1", HUNDRED)


def test_actions_that_move_no_money_get_no_entries(con):
    source_tables(con, credit_legs=[("T1", "B1", "POSTED")])
    quiet = ["INVESTIGATE", "NOTIFY_CUSTOMER", "ISSUE_INVOICE", "REISSUE_INVOICE", "VOID_INVOICE"]
    open_exceptions(con, [{"exception_id": a, "proposed_action": a} for a in quiet])
    propose_corrections(con)
    assert con.execute("SELECT count(*) FROM corrections").fetchall() == [(0,)]


def test_ids_currency_and_narrative_name_the_exception(con):
    source_tables(con)
    open_exceptions(
        con, [{"exception_id": "EX-AB12", "proposed_action": "REVERSE_DEBIT", "currency": "USD"}]
    )
    propose_corrections(con)
    rows = con.execute(
        "SELECT correction_id, currency, narrative FROM corrections ORDER BY 1"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("CR-AB12-1", "USD"), ("CR-AB12-2", "USD")]
    assert "HALF_COMPLETED/BOOKED_GATEWAY_FAILED EX-AB12 on T1" in rows[0][2]
    assert "not posted" in rows[0][2]
    assert legs(con, "EX-AB12")[0][1] == "SUSPENSE-USD"


def test_without_source_tables_suspense_stands_in_for_the_counterparty(con):
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "RECALL_PAYMENT"}])
    propose_corrections(con)
    assert legs(con, "EX-1") == [(D, "SUSPENSE-CNY", HUNDRED), (C, "A1", HUNDRED)]


def test_no_scratch_table_is_left_behind(con):
    open_exceptions(con, [{"exception_id": "EX-1", "proposed_action": "REVERSE_DEBIT"}])
    propose_corrections(con)
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "_rm_parties" not in tables


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999999.99"), places=2)
exception_rows = st.lists(
    st.fixed_dictionaries(
        {
            "proposed_action": st.sampled_from(sorted(SUBTYPE)),
            "amount": amounts.map(str),
            "currency": st.sampled_from(["CNY", "USD", "EUR"]),
            "txn_ref": st.sampled_from(["T1", "T2", "T3"]),
            "account_id": st.sampled_from(["A1", "A2", None]),
        }
    ),
    max_size=12,
)
known_legs = st.lists(
    st.tuples(
        st.sampled_from(["T1", "T2", "T3"]),
        st.sampled_from(["CLR-1", "B1", "B2"]),
        st.sampled_from(["POSTED", "PENDING", "FAILED"]),
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(rows=exception_rows, credit_legs=known_legs)
def test_every_exceptions_corrections_balance(rows, credit_legs):
    con = connect()
    try:
        source_tables(con, credit_legs=credit_legs)
        open_exceptions(con, [{**r, "exception_id": f"EX-{n}"} for n, r in enumerate(rows)])
        propose_corrections(con)
        for n, r in enumerate(rows):
            entries = legs(con, f"EX-{n}")
            debits = sum((a for d, _, a in entries if d == D), Decimal(0))
            credits = sum((a for d, _, a in entries if d == C), Decimal(0))
            assert debits == credits
            if r["proposed_action"] in POSTING_ACTIONS:
                assert [d for d, _, _ in entries] == [D, C]
                assert debits == Decimal(r["amount"])
                assert all(account for _, account, _ in entries)
            else:
                assert entries == []
    finally:
        con.close()


def test_a_run_without_open_exceptions_proposes_nothing_with_the_contract_columns(con):
    source_tables(con)
    open_exceptions(con, [])
    propose_corrections(con)
    cur = con.execute("SELECT * FROM corrections")
    assert cur.fetchall() == []
    assert [d[0] for d in cur.description] == [
        "correction_id", "exception_id", "txn_ref", "account_id", "direction", "amount",
        "currency", "narrative",
    ]  # fmt: skip
