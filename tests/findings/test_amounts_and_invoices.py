"""AMOUNT_MISMATCH and INVOICE findings, against the first SUCCESS gateway record."""

from __future__ import annotations

from decimal import Decimal

from .working import Extracts, find, kinds, one


def paid(con, txn_ref: str = "T1", amount: str = "730.00", **kw) -> Extracts:
    """A booked external transfer paid at the gateway, without an invoice yet."""
    return (
        Extracts(con)
        .external(txn_ref, amount, gateway=None, invoice=False)
        .payment(f"G-{txn_ref}", txn_ref, kw.pop("paid", amount), **kw)
    )


# --- AMOUNT_MISMATCH


def test_the_gateway_paid_another_amount_than_the_ledger_booked(con):
    paid(con, paid="700.00", invoice_required=False)
    rows = find(con)
    assert kinds(rows) == [("LEDGER_GATEWAY", "T1")]
    f = rows[0]
    assert (f["type"], f["amount"], f["proposed_action"]) == (
        "AMOUNT_MISMATCH",
        Decimal("30.00"),
        "INVESTIGATE",
    )


def test_equal_amounts_match(con):
    paid(con, invoice_required=False)
    assert find(con) == []


# --- INVOICE


def test_a_paid_transfer_without_an_invoice(con):
    paid(con)  # invoice_required is null: required
    rows = find(con)
    assert kinds(rows) == [("MISSING", "T1")]
    assert (rows[0]["amount"], rows[0]["proposed_action"]) == (
        Decimal("730.00"),
        "ISSUE_INVOICE",
    )


def test_no_invoice_is_needed_where_the_gateway_says_so(con):
    paid(con, invoice_required=False)
    assert find(con) == []


def test_an_invoice_for_another_amount_than_the_payment(con):
    paid(con).invoice("I1", "T1", "7300.00")
    rows = find(con)
    assert [(r["type"], r["subtype"]) for r in rows] == [("INVOICE", "AMOUNT_MISMATCH")]
    assert (rows[0]["amount"], rows[0]["proposed_action"]) == (
        Decimal("6570.00"),
        "REISSUE_INVOICE",
    )


def test_an_issued_invoice_on_a_failed_payment(con):
    Extracts(con).external("T1", "730.00", gateway="FAILED", status="FAILED")
    f = one(find(con), "ON_FAILED_PAYMENT")
    assert (f["amount"], f["proposed_action"]) == (Decimal("730.00"), "VOID_INVOICE")


def test_a_voided_invoice_on_a_failed_payment_is_in_order(con):
    x = Extracts(con).external("T1", "100.00", gateway="FAILED", invoice=False)
    x.invoice("I1", "T1", "100.00", status="VOID")
    assert kinds(find(con)) == [("BOOKED_GATEWAY_FAILED", "T1")]


def test_an_invoice_whose_debit_was_reversed_is_on_a_failed_payment(con):
    x = Extracts(con).external("T1", "100.00", gateway="FAILED", status="FAILED")
    x.ledger("E9", "T1", "A1", "C", "100.00", "10:05", reversal_of="T1-D")
    assert kinds(find(con)) == [("ON_FAILED_PAYMENT", "T1")]


def test_every_issued_invoice_after_the_first_is_a_duplicate(con):
    x = paid(con)
    x.invoice("I1", "T1", "730.00", "10:01").invoice("I2", "T1", "730.00", "10:02")
    x.invoice("I3", "T1", "730.00", "10:03")
    keys = [r["finding_key"] for r in find(con)]
    assert keys == [
        "INVOICE|DUPLICATE|T1|invoices@2024-03-15T10:02:00.000000Z#1",
        "INVOICE|DUPLICATE|T1|invoices@2024-03-15T10:03:00.000000Z#1",
    ]


def test_an_extra_invoice_keeps_its_number_when_the_one_before_it_is_voided(con):
    # the key's #n counts the transfer's invoices at the instant, voided ones too
    x = paid(con).invoice("I1", "T1", "730.00", "10:01")
    x.invoice("I2", "T1", "730.00", "10:02").invoice("I3", "T1", "730.00", "10:02")
    key = "INVOICE|DUPLICATE|T1|invoices@2024-03-15T10:02:00.000000Z"
    assert [r["finding_key"] for r in find(con)] == [key + "#1", key + "#2"]
    con.execute("UPDATE invoices SET status = 'VOID' WHERE invoice_id = 'I2'")
    assert [(r["finding_key"], r["evidence"].split(";")[0]) for r in find(con)] == [
        (key + "#2", "invoices:I3")
    ]


def test_a_void_invoice_beside_an_issued_one_is_no_duplicate(con):
    x = paid(con)
    x.invoice("I1", "T1", "730.00", "10:01").invoice("I2", "T1", "730.00", "10:02", status="VOID")
    assert find(con) == []
