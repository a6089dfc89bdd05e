"""Personal account bills exported from Alipay (支付宝交易明细, GBK CSV) and WeChat
(微信支付账单明细, CSV or .xlsx): an intro block with the bill's own counts, then the rows.

Both are a payer's view: each row is one payment, refund or transfer, with the provider's
transaction number as gateway_ref and the merchant's order number as txn_ref (a transfer
with none, `/`, uses its transaction number). A refund row keeps the payment's merchant
order number, so it links to the payment as a REFUNDED record of its own. The intro block
states how many rows the bill has (and for WeChat, per direction, how much): checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from recon.ingest.formats.extract import ControlTotal, ProviderExtract
from recon.ingest.formats.grid import Line
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format
from recon.ingest.formats.table import Layout, Row, Sections, mapped_fields, read_table
from recon.ingest.formats.totals import Match, count, total

BEIJING = "+08:00"
_ALL = re.compile(r"共\s*(\d+)\s*笔记录")
_PART = re.compile(r"^(收入|支出|不计收支|中性交易)\s*[:：]\s*(\d+)\s*笔\s*([-\d.,]+)\s*元")


def _with_txn_fallback(row: Row, options: FormatOptions) -> Mapping[str, str]:
    """Rows without a merchant order number (transfers, red packets) use the provider's
    transaction number as txn_ref, so they are kept, not quarantined for a missing value."""
    fields = dict(mapped_fields(row, options))
    if fields.get("txn_ref", "") in ("", *options.null_values):
        fields["txn_ref"] = fields.get("gateway_ref", "")
    return fields


def intro_figures(intro: tuple[Line, ...]) -> dict[str, tuple[Decimal, Decimal | None]]:
    """`共66笔记录` -> {"共": (66, None)}; `收入：1笔 28.50元` -> {"收入": (1, 28.50)}."""
    found: dict[str, tuple[Decimal, Decimal | None]] = {}
    for line in intro:
        text = line.text.strip().strip(",")
        if match := _ALL.search(text):
            found["共"] = (Decimal(match[1]), None)
        elif match := _PART.match(text):
            found[match[1]] = (Decimal(match[2]), Decimal(match[3].replace(",", "")))
    return found


def _direction(name: str, column: str) -> Match:
    neutral = ("/", "", "不计收支", "中性交易")
    if name in ("不计收支", "中性交易"):
        return lambda row: row.get(column, "") in neutral
    return lambda row: row.get(column) == name


def _intro_totals(sections: Sections, *, sums: bool) -> tuple[ControlTotal, ...]:
    stated = intro_figures(sections.intro)
    rows, checks = sections.rows, list[ControlTotal]()
    if "共" in stated:
        checks.append(count("intro 共N笔记录 (rows)", stated["共"][0], rows))
    for name, (number, amount) in stated.items():
        if name == "共":
            continue
        match = _direction(name, "收/支")
        checks.append(count(f"intro {name} count", number, rows, match))
        if sums and amount is not None:
            checks.append(total(f"intro {name} amount", amount, rows, _amount(sections), match))
    return tuple(checks)


def _amount(sections: Sections) -> str:
    return next((c for c in ("金额(元)", "金额") if c in sections.header), "金额")


def alipay_totals(sections: Sections) -> tuple[ControlTotal, ...]:
    # the bill's own notice (特别提示 6) says its rows need not add up to the stated amounts
    return _intro_totals(sections, sums=False)


def wechat_personal_totals(sections: Sections) -> tuple[ControlTotal, ...]:
    return _intro_totals(sections, sums=True)


_SUCCESS = "SUCCESS"
ALIPAY_DEFAULTS = FormatOptions(
    header_starts="交易时间",
    footer_starts="-----",
    encoding="gb18030",
    utc_offset=BEIJING,
    null_values=("/",),
    columns=MappingProxyType(
        {
            "交易订单号": "gateway_ref",
            "交易号": "gateway_ref",
            "商家订单号": "txn_ref",
            "商户订单号": "txn_ref",
            "金额": "amount",
            "金额(元)": "amount",
            "交易状态": "status",
            "交易时间": "gateway_at",
            "交易创建时间": "gateway_at",
        }
    ),
    constants=MappingProxyType({"currency": "CNY", "fee": "0.00"}),
    status_map=MappingProxyType(
        {
            "交易成功": _SUCCESS,
            "支付成功": _SUCCESS,
            "还款成功": _SUCCESS,
            "已收入": _SUCCESS,
            "等待确认收货": "PENDING",
            "等待付款": "PENDING",
            "交易关闭": "FAILED",
            "退款成功": "REFUNDED",
        }
    ),
)

WECHAT_PERSONAL_DEFAULTS = FormatOptions(
    header_starts="交易时间",
    encoding="utf-8-sig",
    utc_offset=BEIJING,
    null_values=("/",),
    columns=MappingProxyType(
        {
            "交易单号": "gateway_ref",
            "商户单号": "txn_ref",
            "金额(元)": "amount",
            "当前状态": "status",
            "交易时间": "gateway_at",
        }
    ),
    constants=MappingProxyType({"currency": "CNY", "fee": "0.00"}),
    status_map=MappingProxyType(
        {
            **dict.fromkeys(
                (
                    "支付成功",
                    "已存入零钱",
                    "已转账",
                    "朋友已收钱",
                    "对方已收钱",
                    "已收钱",
                    "提现已到账",
                    "充值完成",
                    "充值成功",
                    "已到账",
                    "已收款",
                ),
                _SUCCESS,
            ),
            "已全额退款": "REFUNDED",
            "已退款": "REFUNDED",
            "对方已退还": "REFUNDED",
            "已退还": "REFUNDED",
            "支付失败": "FAILED",
            "已过期": "FAILED",
            "等待对方收钱": "PENDING",
            "朋友未收钱": "PENDING",
        }
    ),
)


def read_alipay(path: Path, options: FormatOptions) -> ProviderExtract:
    return read_table(path, options, Layout(fields=_with_txn_fallback, totals=alipay_totals))


def read_wechat_personal(path: Path, options: FormatOptions) -> ProviderExtract:
    layout = Layout(fields=_with_txn_fallback, totals=wechat_personal_totals)
    return read_table(path, options, layout)


FORMATS = (
    Format(
        name="alipay-bill",
        read=read_alipay,
        suffixes=(".csv", ".txt"),
        summary="Alipay account bill (支付宝交易明细, GBK CSV), intro row counts checked",
        defaults=ALIPAY_DEFAULTS,
    ),
    Format(
        name="wechat-personal-bill",
        read=read_wechat_personal,
        suffixes=(".csv", ".xlsx"),
        summary="WeChat personal bill (微信支付账单明细, CSV/.xlsx), intro counts and sums checked",
        defaults=WECHAT_PERSONAL_DEFAULTS,
    ),
)
