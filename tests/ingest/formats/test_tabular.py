"""The tabular engine (intro, header, rows, footer): each option on a bill of a few lines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.errors import IncompleteDeliveryError, UnreadableFileError
from recon.ingest.formats.generic import read_generic
from recon.ingest.formats.options import FormatOptions

BASE = FormatOptions(
    columns={"单号": "gateway_ref", "订单": "txn_ref", "金额": "amount", "状态": "status"},
)


def bill(tmp_path: Path, text: str, name: str = "bill.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_header_is_found_after_an_intro_block_of_any_length(tmp_path):
    path = bill(tmp_path, "导出信息\n共1笔\n单号,订单,金额,状态\nG1,T1,1.00,OK\n")
    extract = read_generic(path, replace(BASE, header_starts="单号"))
    assert [r.origin for r in extract.records] == ["line 4"]
    assert dict(extract.records[0].fields) == {
        "gateway_ref": "G1", "txn_ref": "T1", "amount": "1.00", "status": "OK",
    }  # fmt: skip
    assert extract.accounted == 4


def test_skip_rows_names_the_header_line_by_position(tmp_path):
    path = bill(tmp_path, "x\ny\n单号,订单,金额,状态\nG1,T1,1.00,OK\n")
    extract = read_generic(path, replace(BASE, skip_rows=2))
    assert extract.records[0].fields["gateway_ref"] == "G1"


def test_a_header_that_is_not_there_stops_the_read_naming_what_was_looked_for(tmp_path):
    path = bill(tmp_path, "a,b\n1,2\n")
    with pytest.raises(UnreadableFileError, match="单号"):
        read_generic(path, replace(BASE, header_starts="单号"))


def test_the_footer_and_what_follows_it_are_not_rows(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,T1,1.00,OK\n合计,1\n1.00\n")
    extract = read_generic(path, replace(BASE, footer_starts="合计"))
    assert len(extract.records) == 1
    assert extract.accounted == 4


def test_a_required_footer_that_is_missing_means_the_file_was_cut_short(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,T1,1.00,OK\n")
    with pytest.raises(IncompleteDeliveryError, match="cut short"):
        read_generic(path, replace(BASE, footer_starts="合计", footer_required=True))


def test_the_prefix_is_stripped_from_every_value_and_header(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\n`G1,`T1,`1.00,`OK\n")
    extract = read_generic(path, replace(BASE, strip_prefix="`"))
    assert extract.records[0].fields["amount"] == "1.00"


def test_the_delimiter_is_the_most_frequent_separator_when_none_is_set(tmp_path):
    path = bill(tmp_path, "单号\t订单\t金额\t状态\nG1\tT1\t1,000.00\tOK\n", name="bill.tsv")
    assert read_generic(path, BASE).records[0].fields["amount"] == "1000.00"


def test_statuses_map_to_the_contracts_and_constants_fill_missing_columns(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,T1,¥2.50,支付成功\n")
    options = replace(BASE, status_map={"支付成功": "SUCCESS"}, constants={"currency": "CNY"})
    fields = read_generic(path, options).records[0].fields
    assert (fields["status"], fields["currency"], fields["amount"]) == ("SUCCESS", "CNY", "2.50")


def test_a_null_value_reads_as_empty(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,/,1.00,OK\n")
    assert read_generic(path, replace(BASE, null_values=("/",))).records[0].fields["txn_ref"] == ""


def test_amounts_in_fen_become_yuan(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,T1,12345,OK\n")
    assert read_generic(path, replace(BASE, amount_unit="fen")).records[0].fields["amount"] == (
        "123.45"
    )


def test_a_spreadsheet_mangled_id_is_a_reject_with_that_reason(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\n4.00934E+27,T1,1.00,OK\n")
    extract = read_generic(path, BASE)
    assert extract.records == ()
    assert extract.rejects[0].origin == "line 2"
    assert extract.rejects[0].reason == (
        "id mangled by a spreadsheet (scientific notation): 4.00934E+27 in gateway_ref"
    )


def test_a_row_with_the_wrong_number_of_fields_is_a_reject_and_later_rows_are_kept(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\nG1,T1\nG2,T2,1.00,OK\n")
    extract = read_generic(path, BASE)
    assert [r.origin for r in extract.rejects] == ["line 2"]
    assert "2 fields, the header has 4" in extract.rejects[0].reason
    assert [r.origin for r in extract.records] == ["line 3"]


def test_blank_lines_are_accounted_for_but_are_no_rows(tmp_path):
    path = bill(tmp_path, "单号,订单,金额,状态\n\nG1,T1,1.00,OK\n\n")
    extract = read_generic(path, BASE)
    assert (len(extract.records), extract.accounted) == (1, 4)


def test_text_that_is_not_in_the_encoding_stops_the_read_naming_the_line(tmp_path):
    path = bill(tmp_path, "gateway_ref,txn_ref\nG1,成功\n", encoding="gb18030")
    with pytest.raises(UnreadableFileError, match="line 2: not valid utf-8"):
        read_generic(path, BASE)


def test_an_xlsx_sheet_is_read_by_its_rows(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "bill"
    for row in (["账单"], ["单号", "订单", "金额", "状态"], ["G1", "T1", 1.5, "OK"]):
        sheet.append(row)
    path = tmp_path / "bill.xlsx"
    book.save(path)
    extract = read_generic(path, replace(BASE, header_starts="单号", sheet="bill"))
    assert [(r.origin, r.fields["amount"]) for r in extract.records] == [("row 3", "1.5")]


def test_an_xlsx_sheet_that_is_not_there_is_named(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "bill.xlsx"
    Workbook().save(path)
    with pytest.raises(UnreadableFileError, match="no sheet 'nope'"):
        read_generic(path, replace(BASE, sheet="nope"))


_ROW = st.one_of(
    st.just("G{n},T{n},1.00,OK"),  # a record
    st.just("4.1E+27,T{n},1.00,OK"),  # a reject: mangled id
    st.just("G{n},T{n}"),  # a reject: too few fields
    st.just(""),  # a blank line
)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, max_size=30))
def test_every_line_is_a_record_a_reject_or_structure(tmp_path, rows):
    lines = ["单号,订单,金额,状态", *(r.format(n=i) for i, r in enumerate(rows))]
    path = bill(tmp_path, "\n".join(lines) + "\n")
    extract = read_generic(path, BASE)
    data = [r for r in rows if r]
    assert len(extract.records) + len(extract.rejects) == len(data)
    assert extract.accounted == len(lines)
    origins = [r.origin for r in (*extract.records, *extract.rejects)]
    assert len(set(origins)) == len(origins)
