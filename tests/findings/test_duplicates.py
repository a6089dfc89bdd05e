"""DUPLICATE_DEBIT: extra debits for one request, suspected retries, gateway double charges."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from recon.config import CompensationPolicy

from .working import Extracts, find, kinds, one


def duplicates(rows):
    return [(s, t) for s, t in kinds(rows) if s in {"SAME_REQUEST", "SUSPECTED_RETRY"}]


# --- SAME_REQUEST


def test_a_request_booked_twice_flags_the_later_debit_on_its_own_txn_ref(con):
    x = Extracts(con).transfer("T1", "730.00", "10:00", request_id="R1")
    x.ledger("E9", "T2", "A1", "D", "730.00", "10:01", request_id="R1")
    rows = find(con)
    assert kinds(rows) == [("SAME_REQUEST", "T2")]
    f = rows[0]
    assert (f["related_txn_ref"], f["amount"], f["proposed_action"]) == (
        "T1",
        Decimal("730.00"),
        "REVERSE_DEBIT",
    )
    assert f["compensation"] == Decimal("0.10")  # 730 * 5% * 1 day / 365


def test_two_requests_with_one_idempotency_key_are_one_request(con):
    x = Extracts(con)
    x.transfer("T1", "100.00", "10:00", idempotency_key="K1")
    x.transfer("T2", "100.00", "10:03", idempotency_key="K1")
    assert duplicates(find(con)) == [("SAME_REQUEST", "T2")]


def test_the_same_leg_booked_twice_under_one_txn_ref_flags_the_second_entry(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00")
    x.ledger("T1-D2", "T1", "A1", "D", "100.00", "10:00", request_id="R-T1")
    f = one(find(con), "SAME_REQUEST")
    assert f["finding_key"] == (
        "DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T10:00:00.000000Z#1"
    )
    assert f["evidence"].startswith("ledger:T1-D2;ledger:T1-D;")


def test_a_duplicate_debit_that_was_reversed_is_settled(con):
    x = Extracts(con).transfer("T1", "730.00", "10:00", request_id="R1")
    x.ledger("E9", "T2", "A1", "D", "730.00", "10:01", request_id="R1")
    x.ledger("E10", "T2", "A1", "C", "730.00", "10:05", reversal_of="E9")
    assert find(con) == []


def test_one_request_id_on_both_legs_of_a_transfer_is_not_two_debits(con):
    Extracts(con).transfer("T1", "100.00", "10:00", request_id="R1")
    assert find(con) == []


def test_a_duplicate_debit_is_left_out_of_the_half_completed_checks(con):
    # the extra debit has no credit leg, yet it is no DEBIT_WITHOUT_CREDIT
    x = Extracts(con).transfer("T1", "100.00", "10:00", request_id="R1")
    x.ledger("E9", "T2", "A1", "D", "100.00", "10:01", request_id="R1")
    assert [s for s, _ in kinds(find(con))] == ["SAME_REQUEST"]


# --- SUSPECTED_RETRY


def timed_out_then_retried(con, retry_at: str, *, payee: str = "B1") -> Extracts:
    x = Extracts(con).transfer("T1", "100.00", "10:00", status="TIMEOUT")
    return x.transfer("T2", "100.00", retry_at, credit=payee)


def test_a_new_request_after_a_timeout_is_a_suspected_retry_on_the_later_debit(con):
    timed_out_then_retried(con, "10:05")
    rows = find(con)
    assert duplicates(rows) == [("SUSPECTED_RETRY", "T2")]
    f = one(rows, "SUSPECTED_RETRY")
    assert (f["related_txn_ref"], f["proposed_action"]) == ("T1", "REVIEW_REFUND")


def test_the_retry_window_is_inclusive(con):
    timed_out_then_retried(con, "10:10")
    assert duplicates(find(con)) == [("SUSPECTED_RETRY", "T2")]


def test_a_repeat_payment_outside_the_window_is_legitimate(con):
    timed_out_then_retried(con, "10:10:01")
    assert duplicates(find(con)) == []


def test_the_window_comes_from_the_parameters(con):
    timed_out_then_retried(con, "10:15")
    assert duplicates(find(con, duplicate_window_minutes=20)) == [("SUSPECTED_RETRY", "T2")]


def test_a_repeat_payment_after_the_customer_was_told_success_is_legitimate(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00", status="SUCCESS")
    x.transfer("T2", "100.00", "10:05")
    assert find(con) == []


def test_a_repeat_to_another_payee_is_no_retry(con):
    timed_out_then_retried(con, "10:05", payee="B2")
    assert duplicates(find(con)) == []


def test_equal_posting_times_are_ordered_by_entry_id(con):
    # T2-D sorts after T1-D, so T2 is the later one even at the same second
    timed_out_then_retried(con, "10:00")
    assert duplicates(find(con)) == [("SUSPECTED_RETRY", "T2")]


def test_equal_times_with_the_timed_out_debit_second_raise_nothing(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00", status="SUCCESS")
    x.transfer("T2", "100.00", "10:00", status="TIMEOUT")
    assert duplicates(find(con)) == []


def test_the_retried_debit_is_not_also_told_failed_but_booked(con):
    # T2 was told TIMEOUT too, but its debit is counted as a retry of T1
    x = Extracts(con).transfer("T1", "100.00", "10:00", status="TIMEOUT")
    x.transfer("T2", "100.00", "10:02", status="TIMEOUT")
    assert kinds(find(con)) == [
        ("CHANNEL_FAILED_BUT_BOOKED", "T1"),
        ("SUSPECTED_RETRY", "T2"),
    ]


# --- GATEWAY_DOUBLE_CHARGE


def test_a_second_success_record_is_a_double_charge_refunding_its_fee(con):
    x = Extracts(con).external("T1", "730.00")
    x.payment("G2", "T1", "730.00", "10:00:40", fee="2.00")
    f = one(find(con), "GATEWAY_DOUBLE_CHARGE")
    assert f["finding_key"] == (
        "DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|T1|gateway@2024-03-15T10:00:40.000000Z#1"
    )
    assert (f["amount"], f["proposed_action"]) == (Decimal("730.00"), "RECALL_PAYMENT")
    assert f["compensation"] == Decimal("2.10")  # 0.10 interest + 2.00 fee


def test_one_finding_per_extra_success_record(con):
    x = Extracts(con).external("T1", "100.00")
    x.payment("G2", "T1", "100.00", "10:00:40")
    x.payment("G3", "T1", "100.00", "10:00:50")
    keys = sorted(r["finding_key"] for r in find(con))
    assert keys == [
        "DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|T1|gateway@2024-03-15T10:00:40.000000Z#1",
        "DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|T1|gateway@2024-03-15T10:00:50.000000Z#1",
    ]


def test_the_fee_is_not_refunded_when_the_policy_says_so(con):
    x = Extracts(con).external("T1", "730.00")
    x.payment("G2", "T1", "730.00", "10:00:40", fee="2.00")
    no_fee = replace(CompensationPolicy(), refund_gateway_fee=False)
    assert one(find(con, policy=no_fee), "GATEWAY_DOUBLE_CHARGE")["compensation"] == Decimal("0.10")


def test_a_refund_after_the_payment_is_no_double_charge(con):
    x = Extracts(con).external("T1", "100.00")
    x.payment("G2", "T1", "100.00", "11:00", status="REFUNDED")
    assert find(con) == []


def test_a_failed_attempt_before_the_payment_is_no_double_charge(con):
    x = Extracts(con).external("T1", "100.00")
    x.payment("G0", "T1", "100.00", "10:00:10", status="FAILED")
    assert find(con) == []


# --- identity: a finding's key names its transfer and the row's instant, never a row id


def test_extra_debits_at_one_instant_are_numbered_in_entry_order(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00")
    x.ledger("T1-D3", "T1", "A1", "D", "100.00", "10:01", request_id="R-T1")
    x.ledger("T1-D2", "T1", "A1", "D", "100.00", "10:01", request_id="R-T1")
    rows = sorted(find(con), key=lambda r: r["finding_key"])
    assert [(r["finding_key"], r["evidence"].split(";")[0]) for r in rows] == [
        ("DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T10:01:00.000000Z#1", "ledger:T1-D2"),
        ("DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T10:01:00.000000Z#2", "ledger:T1-D3"),
    ]


def test_the_entry_id_does_not_enter_the_key(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00")
    x.ledger("ANY-ID", "T1", "A1", "D", "100.00", "10:00", request_id="R-T1")
    assert "ANY-ID" not in one(find(con), "SAME_REQUEST")["finding_key"]


# --- identity: `#n` is the row's place among its extract's rows at the instant, not among
# the findings, so it stays when another finding at that instant goes away


def keyed(rows) -> list[tuple[str, str]]:
    """(finding_key, the finding's own row) of each finding, by key."""
    return sorted((r["finding_key"], r["evidence"].split(";")[0]) for r in rows)


@pytest.mark.parametrize("original_at", ["10:01", "10:00"])
def test_a_lone_extra_debit_keeps_the_key_it_always_had(con, original_at):
    # its original at the same instant or an earlier one: number 1, as before rows were counted
    x = Extracts(con).transfer("T1", "100.00", original_at)
    x.ledger("T1-D2", "T1", "A1", "D", "100.00", "10:01", request_id="R-T1")
    assert keyed(find(con)) == [
        ("DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T10:01:00.000000Z#1", "ledger:T1-D2"),
    ]


def test_an_extra_debit_keeps_its_number_when_the_one_before_it_is_reversed(con):
    x = Extracts(con).transfer("T1", "200.00", "12:00", request_id="R3")
    x.ledger("T1-E6", "T1", "A1", "D", "200.00", "12:00", request_id="R3")
    x.ledger("T1-E7", "T1", "A1", "D", "200.00", "12:00", request_id="R3")
    key = "DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T12:00:00.000000Z"
    assert keyed(find(con)) == [(key + "#1", "ledger:T1-E6"), (key + "#2", "ledger:T1-E7")]
    x.ledger("T1-E9", "T1", "A1", "C", "200.00", "15:00", reversal_of="T1-E6")
    # E7's extra 200.00 is still held: its finding stays #2, never E6's #1
    assert keyed(find(con)) == [(key + "#2", "ledger:T1-E7")]


def test_an_extra_charge_keeps_its_number_when_the_one_before_it_is_refunded(con):
    x = Extracts(con).external("T1", "100.00")
    x.payment("G2", "T1", "100.00").payment("G3", "T1", "100.00")  # all three at 10:00:30
    key = "DUPLICATE_DEBIT|GATEWAY_DOUBLE_CHARGE|T1|gateway@2024-03-15T10:00:30.000000Z"
    assert keyed(find(con)) == [(key + "#1", "gateway:G2"), (key + "#2", "gateway:G3")]
    con.execute("UPDATE gateway SET status = 'REFUNDED' WHERE gateway_ref = 'G2'")
    assert keyed(find(con)) == [(key + "#2", "gateway:G3")]


def test_extra_debits_that_still_meet_on_one_key_and_number_are_told_apart(con):
    # two legs booked twice at one instant: A1's 100.00 and A2's 50.00 are each the first of
    # their kind (#1); the second of them by entry_id gets #1.2, never the same key
    x = Extracts(con).transfer("T1", "100.00", "10:00")
    x.ledger("T1-X1", "T1", "A1", "D", "100.00", "10:00", request_id="R-T1")
    x.ledger("T1-D2", "T1", "A2", "D", "50.00", "10:00")
    x.ledger("T1-X2", "T1", "A2", "D", "50.00", "10:00")
    x.ledger("T1-C2", "T1", "B1", "C", "50.00", "10:00")
    key = "DUPLICATE_DEBIT|SAME_REQUEST|T1|ledger@2024-03-15T10:00:00.000000Z"
    assert keyed(find(con)) == [(key + "#1", "ledger:T1-X1"), (key + "#1.2", "ledger:T1-X2")]
