"""Every real WeChat Pay, Alipay, WeChat personal and UnionPay sample in ../shared/external is
read in full: each line is a record, a reject or structure, and the file's own totals are
checked. Where a sample's totals genuinely disagree with its rows (a sample trimmed by hand
for a test), that is written down here as the figures the run would stop on."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from recon.ingest.formats import FORMATS

EXTERNAL = Path(__file__).resolve().parents[4] / "shared" / "external"
pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is not here")
GUNSLUO = EXTERNAL / "wechatpay-gunsluo"
ELIXIR = EXTERNAL / "wechatpay-elixir"
BILLS = EXTERNAL / "cn-bills-double-entry-generator"
UNIONPAY = EXTERNAL / "unionpay-acp-sample"


def read(fmt: str, path: Path, **options: object):
    spec = FORMATS[fmt]
    return spec.read(path, replace(spec.defaults, **options))


def disagreeing(extract) -> list[tuple[str, Decimal, Decimal]]:
    return [(c.name, c.expected, c.actual) for c in extract.controls if not c.agrees]


def test_the_wechatpay_trade_bill_is_read_with_its_footer_verified():
    extract = read("wechatpay-tradebill", GUNSLUO / "tradebill_ALL_2021-01-28.csv")
    assert (len(extract.records), len(extract.rejects), extract.accounted) == (3, 0, 6)
    assert len(extract.controls) == 7
    assert disagreeing(extract) == []
    assert {r.fields["txn_ref"] for r in extract.records} == {
        "S20210128170702357723", "S20210128153505214586", "S20210128165824499930",
    }  # fmt: skip


def test_the_wechatpay_refund_row_is_a_refunded_record_of_its_payments_order():
    path = GUNSLUO / "tradebill_REFUND_row_only_29cols_2021-02-01.csv"
    (refund,) = read("wechatpay-tradebill", path, footer_required=False).records
    assert dict(refund.fields) == {
        "gateway_ref": "50300807172021020106006664916", "txn_ref": "S20210124161554311546",
        "amount": "0.01", "currency": "CNY", "fee": "0.00", "status": "REFUNDED",
        "gateway_at": "2021-02-01T14:33:24+08:00",
    }  # fmt: skip


def test_the_wechatpay_sandbox_tsv_is_all_mangled_ids_and_its_footer_agrees():
    extract = read("wechatpay-tradebill", ELIXIR / "downloadbill_ALL_sandbox_20160504.tsv")
    assert (len(extract.records), len(extract.rejects), extract.accounted) == (0, 1269, 1272)
    assert {r.reason.split(":")[0] for r in extract.rejects} == {
        "id mangled by a spreadsheet (scientific notation)"
    }
    assert len(extract.controls) == 7
    assert disagreeing(extract) == []


def test_the_wechatpay_fund_flow_sample_lacks_its_income_entry_which_its_footer_counts():
    extract = read("wechatpay-fundflow", GUNSLUO / "fundflowbill_Basic_2021-02-01.csv")
    assert (len(extract.records), extract.accounted) == (2, 5)
    assert disagreeing(extract) == [
        ("footer 资金流水总笔数 (entries)", Decimal(3), Decimal(2)),
        ("footer 收入笔数 (income entries)", Decimal(1), Decimal(0)),
        ("footer 收入金额 (income)", Decimal("0.01"), Decimal(0)),
    ]


def test_the_wechatpay_sandbox_fund_flow_holds_one_of_the_twenty_entries_it_counts():
    extract = read("wechatpay-fundflow", ELIXIR / "downloadfundflow_Basic_sandbox.csv")
    assert (len(extract.records), extract.accounted) == (1, 4)
    assert disagreeing(extract)[0] == ("footer 资金流水总笔数 (entries)", Decimal("20.0"), 1)


def _beancount(path: Path) -> set[tuple[str, str, Decimal]]:
    """(order id, pay time, money moved) of each beancount entry: the sum of its positive
    postings (a withdrawal books its service fee as a posting of its own)."""
    found = set()
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        order = re.search(r'orderId: "([^"]+)"', entry)
        paid = re.search(r'payTime: "(\S+ \S+)', entry)
        amounts = [Decimal(a) for a in re.findall(r"\s(-?\d+\.\d+) CNY", entry)]
        if order and paid and amounts:
            moved = sum((a for a in amounts if a > 0), Decimal(0))
            found.add((order[1], paid[1].replace(" ", "T"), moved))
    return found


def _ours(extract) -> set[tuple[str, str, Decimal]]:
    return {
        (r.fields["gateway_ref"], r.fields["gateway_at"][:19], Decimal(r.fields["amount"]))
        for r in extract.records
    }


def test_the_alipay_bill_agrees_with_its_beancount_output_but_not_with_its_trimmed_intro():
    extract = read("alipay-bill", BILLS / "example-alipay-records.csv")
    assert (len(extract.records), len(extract.rejects), extract.accounted) == (10, 0, 35)
    assert _beancount(BILLS / "example-alipay-output.beancount") <= _ours(extract)
    assert disagreeing(extract)[0] == ("intro 共N笔记录 (rows)", Decimal(66), Decimal(10))


@pytest.mark.parametrize("name", ["example-wechat-records.csv", "example-wechat-records.xlsx"])
def test_the_wechat_personal_bill_agrees_with_its_beancount_output(name):
    extract = read("wechat-personal-bill", BILLS / name)
    assert (len(extract.records), len(extract.rejects)) == (27, 0)
    assert _beancount(BILLS / "example-wechat-output.beancount") <= _ours(extract)
    assert disagreeing(extract)[0] == ("intro 共N笔记录 (rows)", Decimal(43), Decimal(27))


def test_the_wechat_personal_bill_reads_the_same_from_csv_and_xlsx():
    csv = read("wechat-personal-bill", BILLS / "example-wechat-records.csv")
    xlsx = read("wechat-personal-bill", BILLS / "example-wechat-records.xlsx")
    assert [dict(r.fields) for r in csv.records] == [dict(r.fields) for r in xlsx.records]
    assert (csv.accounted, xlsx.accounted) == (44, 45)  # the sheet has a table header row


def test_the_unionpay_zip_is_read_with_its_summary_verified():
    extract = read("unionpay-acp", UNIONPAY / "802310048993424_20150905.zip")
    assert (len(extract.records), len(extract.rejects), extract.accounted) == (8, 0, 31)
    assert len(extract.controls) == 7
    assert disagreeing(extract) == []
    assert sum(Decimal(r.fields["amount"]) for r in extract.records) == Decimal("13227.00")
    assert sum(Decimal(r.fields["fee"]) for r in extract.records) == Decimal("79.36")


def test_the_unpacked_unionpay_detail_file_finds_its_summary_beside_it():
    extract = read("unionpay-acp", UNIONPAY / "extracted_INN15090588ZM_802310048993424")
    assert (len(extract.records), extract.accounted) == (8, 8)
    assert len(extract.controls) == 7
    assert disagreeing(extract) == []
