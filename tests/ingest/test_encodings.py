"""Extracts in GB18030 with their own (Chinese) column names, and UTF-8 with a BOM."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.errors import UnreadableFileError

from .helpers import GATEWAY, column, extracts, ledger_row, load, quarantine, write_lines

CHINESE_GATEWAY = "网关流水号,商户订单号,金额,币种,手续费,状态,时间,是否开票"
CHINESE_MAPPING = {
    "网关流水号": "gateway_ref",
    "商户订单号": "txn_ref",
    "金额": "amount",
    "币种": "currency",
    "手续费": "fee",
    "状态": "status",
    "时间": "gateway_at",
    "是否开票": "invoice_required",
}


def test_a_gb18030_file_with_chinese_headers_is_read_through_the_mapping(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    write_lines(
        data / "gateway.csv",
        CHINESE_GATEWAY,
        ['GW1,T1,"1,234.50",人民币,0.00,SUCCESS,2024-03-15 18:00:00,'],
        encoding="gb18030",
    )
    settings = {
        "currency_aliases": {"人民币": "CNY"},
        "sources": {
            "gateway": {
                "encoding": "gb18030",
                "thousands_separator": ",",
                "columns": CHINESE_MAPPING,
            }
        },
    }

    load(con, data, settings)

    assert con.sql("SELECT gateway_ref, txn_ref, amount, currency FROM gateway").fetchall() == [
        ("GW1", "T1", Decimal("1234.50"), "CNY")
    ]


def test_a_bad_value_in_a_mapped_file_reports_our_column_name(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    write_lines(
        data / "gateway.csv",
        CHINESE_GATEWAY,
        [
            "GW1,T1,234.50,CNY,0.00,SUCCESS,2024-03-15 18:00:00,",
            "GW2,T2,五元,CNY,0.00,SUCCESS,2024-03-15 18:00:00,",
        ],
        encoding="gb18030",
    )

    load(con, data, {"sources": {"gateway": {"encoding": "gb18030", "columns": CHINESE_MAPPING}}})

    assert column(con, "gateway", "amount") == [Decimal("234.50")]
    assert quarantine(con, "gateway") == [
        ("gateway.csv", 3, "amount", "五元", "unparseable amount")
    ]


def test_a_utf8_bom_does_not_hide_the_first_column(con, tmp_path):
    data = extracts(tmp_path)
    (data / "ledger.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\n".join([LEDGER_HEADER, ledger_row("E1")]) + "\n").encode()
    )

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1"]


def test_a_gb18030_bom_is_dropped(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    text = "\ufeff" + GATEWAY + "\nGW1,T1,5.00,CNY,0.00,SUCCESS,2024-03-15T18:00:00Z,\n"
    (data / "gateway.csv").write_bytes(text.encode("gb18030"))

    load(con, data, {"sources": {"gateway": {"encoding": "gb18030"}}})

    assert column(con, "gateway", "gateway_ref") == ["GW1"]


def test_bytes_invalid_in_the_configured_encoding_stop_the_run_naming_file_and_line(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    (data / "gateway.csv").write_bytes(GATEWAY.encode() + b"\nGW1,\x80\xff,5.00\n")

    with pytest.raises(UnreadableFileError, match=r"gateway\.csv, line 2: not valid gbk"):
        load(con, data, {"sources": {"gateway": {"encoding": "gbk"}}})


LEDGER_HEADER = (
    "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at,request_id,reversal_of"
)
