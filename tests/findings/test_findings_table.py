"""The `findings` table itself: columns, stable ids, evidence, customer, interest rounding."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pytest

from recon.config import CompensationPolicy

from .working import Extracts, find, one

COLUMNS = [
    "exception_id", "finding_key", "type", "subtype", "txn_ref", "related_txn_ref",
    "customer_id", "account_id", "amount", "currency", "evidence", "proposed_action",
    "compensation", "event_at", "channel",
]  # fmt: skip


def debit_only(con, amount: str = "730.00", time: str = "10:00", day: int = 15) -> Extracts:
    x = Extracts(con).request("R1", amount, time, txn_ref="T1", channel="WEB")
    con.execute(
        "INSERT INTO ledger VALUES ('E1', 'T1', 'A1', 'D', $a, 'CNY', 'POSTED', $t, 'R1', NULL,"
        " 'ledger.csv', 2)",
        {"a": Decimal(amount), "t": datetime(2024, 3, day, 10, 0, tzinfo=UTC)},
    )
    return x


def test_findings_has_exactly_the_architecture_columns(con):
    debit_only(con)
    find(con)
    names = [d[0] for d in con.execute("SELECT * FROM findings LIMIT 0").description]
    assert names == COLUMNS


def test_the_exception_id_is_a_hash_of_the_finding_key(con):
    debit_only(con)
    f = find(con)[0]
    digest = hashlib.sha256(f["finding_key"].encode()).hexdigest()[:16].upper()
    assert f["finding_key"] == "HALF_COMPLETED|DEBIT_WITHOUT_CREDIT|T1"
    assert f["exception_id"] == f"EX-{digest}"


def test_a_rerun_finds_the_same_ids(con):
    debit_only(con)
    assert [r["exception_id"] for r in find(con)] == [r["exception_id"] for r in find(con)]


def test_evidence_names_the_finding_rows_first_then_the_transfer(con):
    debit_only(con).payment("G1", "T1", "730.00", status="FAILED", invoice_required=False)
    f = one(find(con), "DEBIT_WITHOUT_CREDIT")
    assert f["evidence"] == "ledger:E1;channel:R1;gateway:G1"


def test_customer_and_channel_come_from_the_request(con):
    debit_only(con)
    f = find(con)[0]
    assert (f["customer_id"], f["channel"], f["account_id"]) == ("C1", "WEB", "A1")


def test_without_a_request_the_customer_is_the_one_of_the_debit_account(con):
    x = Extracts(con).transfer("T0", "5.00", "09:00", debit="A1", customer_id="C7")
    x.ledger("E1", "T1", "A1", "D", "730.00")
    f = one(find(con), "DEBIT_WITHOUT_CREDIT")
    assert (f["customer_id"], f["channel"]) == ("C7", None)


def test_without_any_request_the_customer_is_empty(con):
    Extracts(con).ledger("E1", "T1", "A1", "D", "730.00")
    assert find(con)[0]["customer_id"] == ""


def test_the_event_is_the_debit_posting(con):
    debit_only(con)
    assert find(con)[0]["event_at"] == datetime(2024, 3, 15, 10, 0, tzinfo=UTC)


def test_half_a_cent_of_interest_rounds_up(con):
    debit_only(con, "36.50")  # 36.50 * 5% / 365 = 0.005
    assert find(con)[0]["compensation"] == Decimal("0.01")


def test_interest_counts_started_days_since_the_debit(con):
    debit_only(con, day=14)  # 1 day 14 hours before the cutoff: 2 days
    assert find(con)[0]["compensation"] == Decimal("0.20")


def test_the_annual_rate_comes_from_the_policy(con):
    debit_only(con)
    policy = replace(CompensationPolicy(), annual_rate=Decimal("0.10"))
    assert find(con, policy=policy)[0]["compensation"] == Decimal("0.20")


def test_every_evaluated_transfer_is_listed_and_none_in_flight(con):
    x = Extracts(con).transfer("T1", "100.00", "10:00")
    x.transfer("T2", "100.00", "23:50")
    find(con)
    refs = con.execute("SELECT txn_ref FROM evaluated_txn_refs ORDER BY 1").fetchall()
    assert refs == [("T1",)]


def test_no_scratch_table_is_left_behind(con):
    debit_only(con)
    find(con)
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {t for t in tables if t.startswith("_fb_")} == set()
    assert {"findings", "evaluated_txn_refs"} <= tables


def test_a_failed_stage_leaves_no_scratch_table(con):
    debit_only(con)
    con.execute("DROP TABLE invoices")
    with pytest.raises(duckdb.CatalogException, match="invoices"):
        find(con)
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {t for t in tables if t.startswith("_fb_")} == set()
