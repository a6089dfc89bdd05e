"""UnionPay ACP detail records: fixed width, fen, the year from the query id, refunds linked."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from recon.errors import UnreadableFileError
from recon.ingest.formats import unionpay
from recon.ingest.formats.unionpay import _LAYOUT, DEFAULTS, RECORD_BYTES, read_unionpay


def record(**values: str) -> bytes:
    """One detail line: every field padded to its width, one space between fields."""
    base = {
        "tradeNo": "S56", "txnTime": "0906112203", "txnAmt": "000000476800",
        "queryId": "201509061122031906248", "orderId": "10078087", "merCharge": "D000000002861",
        "settleAmt": "C000000473939", "txnType": "01", "merId": "802310048993424",
    }  # fmt: skip
    base.update(values)
    fields = [base.get(name, "").ljust(width).encode("gb18030") for name, width in _LAYOUT]
    line = b" ".join(fields)
    assert len(line) == RECORD_BYTES
    return line


SUMMARY = "交易类型  交易笔数\n总计  {count}  {debit}  {credit}  {fee}  0.00  0.00  {net}\n"


def test_a_record_is_a_payment_in_yuan_with_its_fee(tmp_path):
    path = tmp_path / "INN15090588ZM_802310048993424"
    path.write_bytes(record() + b"\r\n")
    (payment,) = read_unionpay(path, DEFAULTS).records
    assert dict(payment.fields) == {
        "gateway_ref": "201509061122031906248", "txn_ref": "10078087", "amount": "4768.00",
        "fee": "28.61", "status": "SUCCESS", "gateway_at": "2015-09-06T11:22:03+08:00",
        "currency": "CNY",
    }  # fmt: skip


def test_a_refund_carries_the_order_number_of_the_payment_it_returns(tmp_path):
    refund = record(
        txnType="04", queryId="201509061200001111111", orderId="R1", txnTime="0906120000",
        origQryId="201509061122031906248", txnAmt="000000001000", merCharge="C000000000006",
    )  # fmt: skip
    path = tmp_path / "INN15090588ZM_802310048993424"
    path.write_bytes(record() + b"\r\n" + refund + b"\r\n")
    _payment, returned = read_unionpay(path, DEFAULTS).records
    assert (returned.fields["txn_ref"], returned.fields["status"]) == ("10078087", "REFUNDED")
    assert (returned.fields["amount"], returned.fields["fee"]) == ("10.00", "0.06")


def test_a_line_of_the_wrong_length_is_a_reject_naming_both_lengths(tmp_path):
    path = tmp_path / "INN15090588ZM_802310048993424"
    path.write_bytes(record()[:-5] + b"\r\n" + record() + b"\r\n")
    extract = read_unionpay(path, DEFAULTS)
    assert extract.rejects[0].origin == "line 1"
    assert "602 bytes, the ACP detail layout has 607" in extract.rejects[0].reason
    assert len(extract.records) == 1


def test_the_zips_summary_total_is_checked_against_the_details(tmp_path):
    path = tmp_path / "802310048993424_20150905.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("INN15090588ZM_802310048993424", record() + b"\r\n")
        summary = SUMMARY.format(
            count=1, debit="0.00", credit="4768.00", fee="28.61", net="4739.39"
        )
        archive.writestr("RD201015090501_802310048993424", summary.encode("gb18030"))
    extract = read_unionpay(path, DEFAULTS)
    assert extract.records[0].origin == "INN15090588ZM_802310048993424 line 1"
    assert [c.agrees for c in extract.controls] == [True] * 7
    assert extract.accounted == 3


def test_a_summary_beside_a_detail_file_is_found_and_a_wrong_total_reported(tmp_path):
    path = tmp_path / "INN15090588ZM_802310048993424"
    path.write_bytes(record() + b"\r\n")
    summary = SUMMARY.format(count=2, debit="0.00", credit="4768.00", fee="28.61", net="4739.39")
    (tmp_path / "RD201015090501_802310048993424").write_bytes(summary.encode("gb18030"))
    count = read_unionpay(path, DEFAULTS).controls[0]
    assert (count.expected, count.actual) == (Decimal(2), Decimal(1))


def test_a_zip_member_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(unionpay, "MAX_MEMBER_BYTES", 100)
    path = tmp_path / "802310048993424_20150905.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("INN15090588ZM_802310048993424", record() + b"\r\n")
    with pytest.raises(UnreadableFileError, match="unpacks to more than 100 bytes"):
        read_unionpay(path, DEFAULTS)
