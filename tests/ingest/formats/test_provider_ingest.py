"""A gateway extract in a provider's format, through ingest: the same rules, duplicates and
quarantine as a canonical file, quarantine at the provider file's own lines, its own totals
checked before anything is read."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from recon.errors import ControlTotalMismatch, MissingExtractError
from tests.ingest.formats.test_unionpay import record
from tests.ingest.formats.wechat_bill import trade_row, write_trade_bill
from tests.ingest.helpers import column, extracts, load, quarantine

WECHAT = {"sources": {"gateway": {"format": "wechatpay-tradebill", "files": "tradebill*"}}}


def data_folder(tmp_path):
    data = extracts(tmp_path / "data", ledger=[])
    (data / "gateway.csv").unlink()  # the gateway extract is the provider's file
    return data


def test_provider_records_fill_the_gateway_table(con, tmp_path):
    data = data_folder(tmp_path)
    write_trade_bill(
        data / "tradebill_2021-01-28.csv", [trade_row("S1"), trade_row("S2", txn_id="42002")]
    )
    result = load(con, data, WECHAT)
    assert result.counts["gateway"].valid == 2
    assert con.sql("SELECT sum(amount), min(fee) FROM gateway").fetchall() == [
        (Decimal("20.00"), Decimal("0.06"))
    ]
    assert [f.format for f in result.files if f.source == "gateway"] == ["wechatpay-tradebill"]


def test_a_rule_broken_in_a_provider_file_is_quarantined_at_its_own_line(con, tmp_path):
    data = data_folder(tmp_path)
    rows = [trade_row("S1"), trade_row("S2", txn_id="42002", status="WHATEVER")]
    write_trade_bill(data / "tradebill_2021-01-28.csv", rows)
    load(con, data, WECHAT)
    (quarantined,) = quarantine(con, "gateway")
    assert quarantined[:3] == ("tradebill_2021-01-28.csv", 3, "status")


def test_a_reject_of_the_reader_is_quarantined_at_its_own_line_with_its_reason(con, tmp_path):
    data = data_folder(tmp_path)
    rows = [trade_row("S1"), trade_row("S2", txn_id="4.00934E+27")]
    write_trade_bill(data / "tradebill_2021-01-28.csv", rows)
    result = load(con, data, WECHAT)
    (quarantined,) = quarantine(con, "gateway")
    assert (quarantined[0], quarantined[1]) == ("tradebill_2021-01-28.csv", 3)
    assert quarantined[4].startswith("id mangled by a spreadsheet (scientific notation)")
    assert (result.counts["gateway"].read, result.counts["gateway"].quarantined) == (2, 1)


def test_a_payment_and_its_refund_are_not_conflicting_duplicates(con, tmp_path):
    data = data_folder(tmp_path)
    rows = [trade_row("S1"), trade_row("S1", status="REFUND", refund_id="5030", refund="1.00")]
    write_trade_bill(data / "tradebill_2021-01-28.csv", rows)
    result = load(con, data, WECHAT)
    assert result.counts["gateway"].quarantined == 0
    assert con.sql("SELECT status FROM gateway ORDER BY status").fetchall() == [
        ("REFUNDED",),
        ("SUCCESS",),
    ]


def test_a_footer_that_disagrees_stops_ingest_naming_both_figures(con, tmp_path):
    data = data_folder(tmp_path)
    footer = ["2", "10.00", "0.00", "0.00", "0.06000", "10.00", "0.00"]
    write_trade_bill(data / "tradebill_2021-01-28.csv", [trade_row("S1")], footer=footer)
    with pytest.raises(
        ControlTotalMismatch, match="总交易单数 \\(trades\\) is 2 but its rows add up to 1"
    ):
        load(con, data, WECHAT)


def test_only_files_matching_the_formats_pattern_and_suffixes_are_read(con, tmp_path):
    data = data_folder(tmp_path)
    write_trade_bill(data / "tradebill_2021-01-28.csv", [trade_row("S1")])
    (data / "tradebill_2021-01-28.pdf").write_text("not a bill")
    result = load(con, data, WECHAT)
    assert [f.path.rsplit("/", 1)[-1] for f in result.files if f.source == "gateway"] == [
        "tradebill_2021-01-28.csv"
    ]


def test_no_file_matching_the_pattern_is_a_missing_extract_naming_it(con, tmp_path):
    data = data_folder(tmp_path)
    with pytest.raises(MissingExtractError, match=r"tradebill\* \(\.csv\|\.tsv\|\.txt\)"):
        load(con, data, WECHAT)


def test_a_zip_members_line_is_named_in_quarantine(con, tmp_path):
    data = data_folder(tmp_path)
    with zipfile.ZipFile(data / "gateway_20150905.zip", "w") as archive:
        archive.writestr(
            "INN15090588ZM_802310048993424", record() + b"\r\n" + record()[:-3] + b"\r\n"
        )
    load(con, data, {"sources": {"gateway": {"format": "unionpay-acp"}}})
    (quarantined,) = quarantine(con, "gateway")
    file = con.sql("SELECT file FROM quarantine").fetchall()[0][0]
    assert file.endswith("gateway_20150905.zip#INN15090588ZM_802310048993424")
    assert quarantined[1] == 2
    assert "604 bytes" in quarantined[4]


def test_valid_rows_keep_the_provider_files_own_lines(con, tmp_path):
    data = data_folder(tmp_path)
    rows = [trade_row("S1"), trade_row("S2", txn_id="4.1E+27"), trade_row("S3", txn_id="42003")]
    write_trade_bill(data / "tradebill_2021-01-28.csv", rows)
    load(con, data, WECHAT)
    assert column(con, "gateway", "_line") == [2, 4]


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\u2028", "\u202e"])
def test_a_control_character_in_a_provider_files_key_is_quarantined_like_a_canonical_ones(
    con, tmp_path, char
):
    # inside the value: a reader trims white space (NEL and U+2028 are white space to
    # Python) around a cell before the rules see it, as it trims a bill's padding
    data = data_folder(tmp_path)
    rows = [trade_row("S1"), trade_row(f"S{char}2", txn_id="42002")]
    write_trade_bill(data / "tradebill_2021-01-28.csv", rows)
    result = load(con, data, WECHAT)
    assert quarantine(con, "gateway") == [
        ("tradebill_2021-01-28.csv", 3, "txn_ref", f"S{char}2",
         "unparseable text: a control character in an identifier")
    ]  # fmt: skip
    counts = result.counts["gateway"]
    assert (counts.read, counts.valid, counts.quarantined) == (2, 1, 1)
