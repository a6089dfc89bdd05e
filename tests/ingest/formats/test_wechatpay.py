"""WeChat Pay trade and fund-flow bills: payments, refunds, fees and the footer's totals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.errors import IncompleteDeliveryError
from recon.ingest.formats.wechatpay import (
    FUNDFLOW_DEFAULTS,
    TRADE_COLUMNS_29,
    TRADEBILL_DEFAULTS,
    read_fundflow,
    read_tradebill,
)
from tests.ingest.formats.wechat_bill import trade_row, write_trade_bill


def test_a_payment_row_becomes_a_success_record_in_beijing_time(tmp_path):
    path = write_trade_bill(tmp_path / "bill.csv", [trade_row("S1", amount="10.00")])
    (record,) = read_tradebill(path, TRADEBILL_DEFAULTS).records
    assert record.origin == "line 2"
    assert dict(record.fields) == {
        "gateway_ref": "4200000001", "txn_ref": "S1", "amount": "10.00", "currency": "CNY",
        "fee": "0.06", "status": "SUCCESS", "gateway_at": "2021-01-28T17:07:11+08:00",
    }  # fmt: skip


def test_a_refund_is_its_own_record_linked_to_the_payment_by_its_order_number(tmp_path):
    rows = [
        trade_row("S1", amount="10.00"),
        trade_row("S1", status="REFUND", refund_id="5030001", refund="4.00", fee="-0.02400"),
    ]
    payment, refund = read_tradebill(
        write_trade_bill(tmp_path / "b.csv", rows), TRADEBILL_DEFAULTS
    ).records
    assert (refund.fields["txn_ref"], refund.fields["status"]) == (
        payment.fields["txn_ref"],
        "REFUNDED",
    )
    assert refund.fields["gateway_ref"] == "5030001" != payment.fields["gateway_ref"]
    assert (refund.fields["amount"], refund.fields["fee"]) == ("4.00", "0.02")


def test_a_fee_of_a_fraction_of_a_cent_is_rounded_half_up(tmp_path):
    path = write_trade_bill(tmp_path / "b.csv", [trade_row(fee="0.00006")])
    assert read_tradebill(path, TRADEBILL_DEFAULTS).records[0].fields["fee"] == "0.00"


def test_the_footer_is_checked_against_the_rows_exactly(tmp_path):
    rows = [trade_row("S1", fee="0.00006"), trade_row("S2", txn_id="4200000002", fee="0.00005")]
    extract = read_tradebill(write_trade_bill(tmp_path / "b.csv", rows), TRADEBILL_DEFAULTS)
    fees = next(c for c in extract.controls if c.name == "footer 手续费总金额")
    assert (fees.expected, fees.actual) == (Decimal("0.00011"), Decimal("0.00011"))
    assert all(c.agrees for c in extract.controls)
    assert extract.accounted == 5


def test_a_footer_that_disagrees_with_the_rows_is_reported_with_both_figures(tmp_path):
    rows = [trade_row("S1", amount="10.00")]
    path = write_trade_bill(
        tmp_path / "b.csv", rows, footer=["2", "10.00", "0", "0", "0.06", "10.00", "0"]
    )
    count = read_tradebill(path, TRADEBILL_DEFAULTS).controls[0]
    assert (count.name, count.expected, count.actual) == ("footer 总交易单数 (trades)", 2, 1)


def test_a_bill_without_its_footer_was_cut_short(tmp_path):
    path = write_trade_bill(tmp_path / "b.csv", [trade_row()], with_footer=False)
    with pytest.raises(IncompleteDeliveryError, match="总交易单数"):
        read_tradebill(path, TRADEBILL_DEFAULTS)


def test_a_row_without_a_header_is_read_by_the_29_column_layout(tmp_path):
    values = dict(trade_row("S9", status="REFUND", refund_id="5039", refund="0.01"))
    values.update({"退款申请时间": "2021-02-01 14:33:21", "退款成功时间": "2021-02-01 14:33:24"})
    path = tmp_path / "refund.csv"
    path.write_text(",".join("`" + values[c] for c in TRADE_COLUMNS_29), encoding="utf-8")
    (record,) = read_tradebill(path, replace(TRADEBILL_DEFAULTS, footer_required=False)).records
    assert (record.fields["gateway_ref"], record.fields["gateway_at"]) == (
        "5039", "2021-02-01T14:33:24+08:00",
    )  # fmt: skip


def test_a_fund_flow_entry_is_a_payment_or_refund_by_its_business_type(tmp_path):
    path = tmp_path / "flow.csv"
    path.write_text(
        "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),"
        "账户结余(元),资金变更提交申请人,备注,业务凭证号\n"
        "`2021-02-01 13:54:01,`5030,`4200,`退款,`退款,`支出,`0.01,`0.22,`API,`x,`S1\n"
        "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\n`1,`0,`0.00,`1,`0.01\n",
        encoding="utf-8",
    )
    extract = read_fundflow(path, FUNDFLOW_DEFAULTS)
    assert [(r.fields["gateway_ref"], r.fields["status"]) for r in extract.records] == [
        ("4200", "REFUNDED")
    ]
    assert [c.agrees for c in extract.controls] == [True] * 5


_AMOUNTS = st.decimals(min_value="0.01", max_value="99999.99", places=2).map(str)
_FEES = st.decimals(min_value=0, max_value="9.99999", places=5).map(str)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bill=st.lists(st.tuples(_AMOUNTS, _FEES, st.booleans()), max_size=20))
def test_any_bill_written_with_its_own_footer_reads_in_full_and_agrees(tmp_path, bill):
    rows = [
        trade_row(f"S{n}", txn_id=f"42{n}", amount=amount, fee=fee)
        if paid
        else trade_row(f"S{n}", status="REFUND", refund_id=f"50{n}", refund=amount, fee=fee)
        for n, (amount, fee, paid) in enumerate(bill)
    ]
    extract = read_tradebill(write_trade_bill(tmp_path / "b.csv", rows), TRADEBILL_DEFAULTS)
    assert len(extract.records) == len(rows)
    assert extract.accounted == len(rows) + 3
    assert [c.name for c in extract.controls if not c.agrees] == []
    assert sum(Decimal(r.fields["amount"]) for r in extract.records) == sum(
        Decimal(a) for a, _fee, _paid in bill
    )
