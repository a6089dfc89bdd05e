"""Findings compute money wide: sums, differences and interest of amounts that each fit
DECIMAL(18,2) never overflow on the way; a finding whose amount or compensation does not fit
the store's DECIMAL(18,2) raises AmountOverflowError naming its transfer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.errors import AmountOverflowError

from .working import Extracts, find, one

BIG = "9999999999999999.00"  # the largest whole amount that parses


def test_interest_on_the_largest_amount_is_exact(con):
    x = Extracts(con).request("R1", BIG, txn_ref="T1")
    x.ledger("E1", "T1", "A1", "D", BIG, request_id="R1")

    f = one(find(con), "DEBIT_WITHOUT_CREDIT")

    # 9999999999999999.00 * 0.05 * 1 day / 365, half-up to cents
    assert (f["amount"], f["compensation"]) == (Decimal(BIG), Decimal("1369863013698.63"))


def test_a_difference_beyond_the_store_type_names_the_transfer(con):
    x = Extracts(con).request("R1", BIG, txn_ref="T1")
    x.ledger("E1", "T1", "A1", "D", BIG, request_id="R1")
    x.ledger("E2", "T1", "A2", "D", BIG, "10:05", request_id="R2")

    with pytest.raises(AmountOverflowError, match=r"^txn_ref T1: .*DEBIT_WITHOUT_CREDIT amount"):
        find(con)
    # the scratch tables are gone and nothing half-built is left behind
    assert con.sql(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_fb_%'"
    ).fetchall() == [(0,)]
