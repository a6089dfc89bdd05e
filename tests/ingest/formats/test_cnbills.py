"""Alipay and WeChat personal bills: intro block, ¥ amounts, Chinese statuses, the intro's
own counts."""

from __future__ import annotations

from recon.ingest.formats.cnbills import (
    ALIPAY_DEFAULTS,
    WECHAT_PERSONAL_DEFAULTS,
    read_alipay,
    read_wechat_personal,
)

ALIPAY = (
    "------------------------------------------------------------------------------------\n"
    "导出信息：\n共2笔记录\n收入：0笔 0.00元\n支出：1笔 49.74元\n不计收支：1笔 16.03元\n\n"
    "------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n"
    "交易时间            ,交易分类    ,收/支     ,金额       ,交易状态      ,交易订单号   ,"
    "商家订单号   ,\n"
    "2023-02-12 21:32:14 ,亲友代付    ,支出      ,49.74      ,交易成功      ,2023001\t,D12\t,\n"
    "2023-02-13 10:00:00 ,退款        ,不计收支  ,16.03      ,退款成功      ,2023001_9\t,D12\t,\n"
)
WECHAT = (
    "微信支付账单明细,,,,\n共2笔记录,,,,\n收入：1笔 0.35元,,,,\n支出：1笔 28.16元,,,,\n"
    "中性交易：0笔 0.00元,,,,\n----------------------微信支付账单明细列表--------------------,,,,\n"
    "交易时间,收/支,金额(元),当前状态,交易单号,商户单号\n"
    '2019-09-26 12:45:27,"支出",¥28.16,"支付成功","3985734"\t,"129847129"\t\n'
    "2019-09-24 10:10:11,收入,¥0.35,已存入零钱,3985735\t,/\t\n"
)


def test_an_alipay_bill_in_gbk_is_read_after_its_intro_block(tmp_path):
    path = tmp_path / "alipay.csv"
    path.write_bytes(ALIPAY.encode("gb18030"))
    extract = read_alipay(path, ALIPAY_DEFAULTS)
    assert [
        (r.origin, r.fields["gateway_ref"], r.fields["txn_ref"], r.fields["status"])
        for r in extract.records
    ] == [("line 10", "2023001", "D12", "SUCCESS"), ("line 11", "2023001_9", "D12", "REFUNDED")]
    assert extract.records[0].fields["currency"] == "CNY"


def test_an_alipay_bills_intro_counts_are_checked_but_not_its_amounts(tmp_path):
    path = tmp_path / "alipay.csv"
    path.write_bytes(ALIPAY.encode("gb18030"))
    controls = read_alipay(path, ALIPAY_DEFAULTS).controls
    assert [(c.name, c.agrees) for c in controls] == [
        ("intro 共N笔记录 (rows)", True),
        ("intro 收入 count", True),
        ("intro 支出 count", True),
        ("intro 不计收支 count", True),
    ]


def test_a_wechat_personal_bill_strips_the_yuan_sign_and_maps_its_statuses(tmp_path):
    path = tmp_path / "wechat.csv"
    path.write_text(WECHAT, encoding="utf-8")
    paid, received = read_wechat_personal(path, WECHAT_PERSONAL_DEFAULTS).records
    assert (paid.fields["amount"], paid.fields["status"], paid.fields["txn_ref"]) == (
        "28.16", "SUCCESS", "129847129",
    )  # fmt: skip
    assert received.fields["txn_ref"] == "3985735"  # no merchant order: its own number


def test_a_wechat_personal_bills_intro_counts_and_sums_are_checked(tmp_path):
    path = tmp_path / "wechat.csv"
    path.write_text(WECHAT, encoding="utf-8")
    controls = read_wechat_personal(path, WECHAT_PERSONAL_DEFAULTS).controls
    assert len(controls) == 7
    assert all(c.agrees for c in controls)
