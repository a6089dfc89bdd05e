"""A file read in the wrong encoding: the error names an encoding its bytes decode in."""

from __future__ import annotations

import pytest

from recon.errors import TooManyBadRows, UnreadableFileError

from .helpers import GATEWAY, extracts, ledger_row, load, write_lines

CHINESE_GATEWAY = "网关流水号,商户订单号,金额,币种,手续费,状态,时间,是否开票"
MAPPING = dict(
    zip(CHINESE_GATEWAY.split(","), GATEWAY.split(","), strict=True),
)
HINT = r'set encoding = "gb18030" in recon\.toml \(\[sources\.gateway\] encoding\)'


def test_a_gb18030_header_read_as_utf8_names_gb18030(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    write_lines(
        data / "gateway.csv",
        CHINESE_GATEWAY,
        ["GW1,T1,5.00,CNY,0.00,SUCCESS,2024-03-15 18:00:00,"],
        encoding="gb18030",
    )

    with pytest.raises(UnreadableFileError, match=r"gateway\.csv, line 1: .*" + HINT):
        load(con, data, {"sources": {"gateway": {"columns": MAPPING}}})


def test_gb18030_rows_read_as_utf8_stop_the_run_naming_gb18030(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    rows = [f"GW{n},T{n},5.00,人民币,0.00,SUCCESS,2024-03-15 18:00:00," for n in range(1, 6)]
    write_lines(data / "gateway.csv", GATEWAY, rows, encoding="gb18030")

    with pytest.raises(TooManyBadRows, match=r"gateway\.csv line 2 is not valid UTF-8; .*" + HINT):
        load(con, data, {"max_bad_ratio": "0.01", "currency_aliases": {"人民币": "CNY"}})


def test_utf8_bytes_read_as_gbk_name_utf8(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    rows = ["GW1,T1,5.00,CNY,0.00,SUCCESS,2024-03-15 18:00:00,", "GW2,T2,5.00,€,0.00,x,y,"]
    write_lines(data / "gateway.csv", GATEWAY, rows)

    with pytest.raises(UnreadableFileError, match=r'line 3: not valid gbk.*encoding = "utf-8"'):
        load(con, data, {"sources": {"gateway": {"encoding": "gbk"}}})
